// My notification preferences: each category on or off; critical ones are shown, checked and locked.
import { useEffect, useState, type FormEvent } from "react";
import { data, notifications } from "../../api/client";
import { ApiError, otherErrors } from "../../api/problem";
import { useSession } from "../../auth/session";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";

export function Preferences() {
  const { me } = useSession();
  const personId = me?.person?.id ?? null;
  const prefs = useLoad(async () => (personId
    ? data(notifications.GET("/notifications/v1/preferences/{person_id}", { params: { path: { person_id: personId } } }))
    : null), [personId]);
  const [off, setOff] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<{ ok?: boolean; error?: ApiError }>({});

  useEffect(() => { if (prefs.state === "ok" && prefs.data) setOff(new Set(prefs.data.opted_out)); }, [prefs.state, prefs.data]);

  if (!personId) return <Page title="Mes préférences"><SpaceNav /><Empty>Votre compte n’est rattaché à aucune personne de l’annuaire.</Empty></Page>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult({});
    try {
      await data(notifications.PUT("/notifications/v1/preferences/{person_id}",
        { params: { path: { person_id: personId } }, body: { opted_out: [...off] as never } }));
      setResult({ ok: true });
      prefs.reload();
    } catch (error) { setResult({ error: error as ApiError }); }
  };
  return (
    <Page title="Mes préférences" lead="Choisissez les e-mails que vous recevez.">
      <SpaceNav />
      {prefs.state === "loading" && <Loading />}
      {prefs.state === "error" && <ErrorNotice error={prefs.error} onRetry={prefs.reload} />}
      {prefs.state === "ok" && prefs.data && (
        <form onSubmit={submit}>
          {result.ok && <Notice tone="success">Préférences enregistrées.</Notice>}
          {result.error && <div className="notice error" role="alert"><p>{result.error.message}</p>
            <ul>{otherErrors(result.error.fields, []).map((m) => <li key={m}>{m}</li>)}</ul></div>}
          <fieldset>
            <legend>Je reçois les e-mails :</legend>
            {(prefs.data.categories ?? []).map((c) => {
              const id = `pref-${c.category}`;
              const locked = !!c.critical;
              return (
                <div className="check" key={c.category}>
                  <input type="checkbox" id={id} checked={locked || !off.has(c.category ?? "")} disabled={locked}
                    aria-describedby={locked ? `${id}-locked` : undefined}
                    onChange={(e) => {
                      const next = new Set(off);
                      if (e.target.checked) next.delete(c.category ?? ""); else next.add(c.category ?? "");
                      setOff(next);
                    }} />
                  <label htmlFor={id}>{c.label ?? c.category}</label>
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
