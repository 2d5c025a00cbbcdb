// My notification preferences (GET/PUT /notifications/v1/me/preferences): each category on or off;
// critical ones (cancellations, changes of date or place) shown checked and locked.
import { useEffect, useState, type FormEvent } from "react";
import { data, notifications } from "../../api/client";
import { ApiError, otherErrors } from "../../api/problem";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";

export function Preferences() {
  const prefs = useLoad(() => data(notifications.GET("/notifications/v1/me/preferences")), []);
  const [off, setOff] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<{ ok?: boolean; error?: ApiError }>({});

  useEffect(() => { if (prefs.state === "ok") setOff(new Set(prefs.data.opted_out)); }, [prefs.state, prefs.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult({});
    try {
      await data(notifications.PUT("/notifications/v1/me/preferences", { body: { opted_out: [...off] as never } }));
      setResult({ ok: true });
      prefs.reload();
    } catch (error) { setResult({ error: error as ApiError }); }
  };
  return (
    <Page title="Mes préférences" lead="Choisissez les e-mails que vous recevez.">
      <SpaceNav />
      {prefs.state === "loading" && <Loading />}
      {prefs.state === "error" && <ErrorNotice error={prefs.error} onRetry={prefs.reload} />}
      {prefs.state === "ok" && (
        <form onSubmit={submit}>
          {result.ok && <Notice tone="success">Préférences enregistrées.</Notice>}
          {result.error && <div className="notice error" role="alert"><p>{result.error.message}</p>
            <ul>{otherErrors(result.error.fields, []).map((m) => <li key={m}>{m}</li>)}</ul></div>}
          <fieldset>
            <legend>Je reçois les e-mails :</legend>
            {(prefs.data.categories ?? []).map((c) => {
              const category = c.category ?? "";
              const id = `pref-${category}`;
              const locked = !!c.critical;
              return (
                <div className="check" key={category}>
                  <input type="checkbox" id={id} checked={locked || !off.has(category)} disabled={locked}
                    aria-describedby={locked ? `${id}-locked` : undefined}
                    onChange={(e) => {
                      const next = new Set(off);
                      if (e.target.checked) next.delete(category); else next.add(category);
                      setOff(next);
                    }} />
                  <label htmlFor={id}>{c.label ?? category}</label>
                  {locked && <span className="locked" id={`${id}-locked`}> — toujours envoyés (indispensables)</span>}
                </div>
              );
            })}
          </fieldset>
          <button type="submit">Enregistrer mes préférences</button>
        </form>
      )}
    </Page>
  );
}
