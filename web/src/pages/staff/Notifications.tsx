// Notifications: the delivery log (by event, person, status, template), one delivery's message and attempts,
// template previews, webhooks and their recent attempts.
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { data, notifications } from "../../api/client";
import { ApiError, fieldErrors } from "../../api/problem";
import { Page } from "../../components/Layout";
import { SelectField, TextField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Confirm, FormError, Pager } from "../../components/staff/ui";

const STATUSES: Record<string, string> = {
  queued: "En file", sending: "En cours d’envoi", sent: "Envoyé", retrying: "Nouvel essai prévu", failed: "En échec", suppressed: "Non envoyé",
};
const when = (iso?: string | null) => iso ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" }).format(new Date(iso)) : "—";

function NotificationsMenu() {
  return (
    <nav aria-label="Notifications" className="actions">
      <Link to="/gestion/notifications">Journal des envois</Link>
      <Link to="/gestion/notifications/modeles">Modèles d’e-mails</Link>
      <Link to="/gestion/notifications/webhooks">Webhooks</Link>
    </nav>
  );
}

export function Deliveries() {
  const [params, setParams] = useSearchParams();
  const filters = { event_id: params.get("event_id") ?? "", person_id: params.get("person_id") ?? "", status: params.get("status") ?? "",
    template: params.get("template") ?? "", channel: params.get("channel") ?? "" };
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(() => data(notifications.GET("/notifications/v1/deliveries", { params: { query: {
    event_id: filters.event_id || undefined, person_id: filters.person_id || undefined, status: (filters.status || undefined) as never,
    template: filters.template || undefined, channel: (filters.channel || undefined) as never, page, per_page: 25 } as never } })),
  [params.toString(), page]);
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => {
    const next = new URLSearchParams(params);
    if (e.target.value) next.set(k, e.target.value); else next.delete(k);
    setPage(1); setParams(next, { replace: true });
  };
  return (
    <Page title="Journal des envois">
      <NotificationsMenu />
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Événement (id)" value={filters.event_id} onChange={set("event_id")} />
        <TextField label="Personne (id)" value={filters.person_id} onChange={set("person_id")} />
        <SelectField label="État" options={Object.entries(STATUSES)} empty="Tous" value={filters.status} onChange={set("status")} />
        <TextField label="Modèle" value={filters.template} onChange={set("template")} />
        <SelectField label="Canal" options={[["email", "E-mail"], ["webhook", "Webhook"]]} empty="Tous" value={filters.channel} onChange={set("channel")} />
      </form>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun envoi ne correspond.</Empty> : (
        <>
          <table><thead><tr><th scope="col">Date</th><th scope="col">Destinataire</th><th scope="col">Objet / modèle</th>
            <th scope="col">État</th><th scope="col" className="num">Essais</th><th scope="col"><span className="visually-hidden">Détail</span></th></tr></thead>
            <tbody>{list.data.items.map((d) => (
              <tr key={d.id}><td>{when(d.created_at)}</td>
                <td>{d.recipient && typeof d.recipient === "object" ? String((d.recipient as { name?: string; email?: string; url?: string }).name
                  ?? (d.recipient as { email?: string }).email ?? (d.recipient as { url?: string }).url ?? "") : d.person_id ?? "—"}</td>
                <td>{typeof d.subject === "string" ? d.subject : ""} <small>({d.template ?? d.event_type})</small></td>
                <td>{STATUSES[d.status] ?? d.status}{d.reason ? ` — ${d.reason}` : ""}{d.last_error ? ` — ${d.last_error}` : ""}</td>
                <td className="num">{d.attempt_count ?? 0}</td>
                <td><button type="button" className="secondary" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                  Détail<span className="visually-hidden"> de l’envoi du {when(d.created_at)}</span></button></td></tr>))}</tbody></table>
          <Pager page={page} perPage={25} total={list.data.total} onPage={setPage} />
          {open && <DeliveryDetail id={open} onChange={list.reload} />}
        </>
      ))}
    </Page>
  );
}

function DeliveryDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const one = useLoad(() => data(notifications.GET("/notifications/v1/deliveries/{delivery_id}", { params: { path: { delivery_id: id } } })), [id]);
  const [error, setError] = useState<unknown>(null);
  if (one.state === "loading") return <Loading />;
  if (one.state === "error") return <ErrorNotice error={one.error} />;
  const d = one.data;
  const message = d.message && typeof d.message === "object" ? d.message as { subject?: string; text?: string } : null;
  return (
    <section className="card" aria-labelledby="delivery"><h2 id="delivery">Envoi {STATUSES[d.status] ?? d.status}</h2>
      <FormError error={error} />
      {message && <><p><strong>{message.subject}</strong></p><pre className="preview" tabIndex={0} aria-label="Texte de l’e-mail">{message.text}</pre></>}
      <h3>Essais</h3>
      {(d.attempts ?? []).length === 0 ? <Empty>Aucun essai.</Empty> : (
        <ol>{(d.attempts ?? []).map((a, i) => <li key={i}>{when(a.at)} — {a.outcome}{a.http_status ? ` (HTTP ${a.http_status})` : ""}{a.error ? ` : ${a.error}` : ""}</li>)}</ol>
      )}
      {(d.status === "failed" || d.status === "retrying") && (
        <button type="button" onClick={async () => {
          try { await data(notifications.POST("/notifications/v1/deliveries/{delivery_id}/retry", { params: { path: { delivery_id: d.id } } })); one.reload(); onChange(); }
          catch (e) { setError(e); }
        }}>Renvoyer maintenant</button>
      )}
    </section>
  );
}

export function Templates() {
  const list = useLoad(() => data(notifications.GET("/notifications/v1/templates")), []);
  const [template, setTemplate] = useState("");
  const preview = useLoad(() => template ? data(notifications.GET("/notifications/v1/preview/{template}", { params: { path: { template } } })) : Promise.resolve(null), [template]);
  return (
    <Page title="Modèles d’e-mails">
      <NotificationsMenu />
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} />}
      {list.state === "ok" && (
        <>
          <SelectField label="Modèle à prévisualiser" empty="Choisir…" value={template} onChange={(e) => setTemplate(e.target.value)}
            options={(list.data.templates ?? []).map((t) => [t, t])} />
          <h2>Catégories de préférences</h2>
          <ul>{(list.data.categories ?? []).map((c) => <li key={c.category}>{c.label ?? c.category}{c.critical ? " (critique : toujours envoyée)" : ""}</li>)}</ul>
        </>
      )}
      {preview.state === "ok" && preview.data && (
        <section aria-labelledby="preview"><h2 id="preview">Aperçu : {preview.data.subject}</h2>
          {preview.data.html && <iframe className="preview" title={`Aperçu HTML du modèle ${template}`} sandbox="" srcDoc={preview.data.html} />}
          <h3>Version texte</h3><pre className="preview" tabIndex={0} aria-label="Version texte">{preview.data.text}</pre>
          {preview.data.ics && <><h3>Pièce jointe .ics</h3><pre className="preview" tabIndex={0} aria-label="Fichier .ics">{preview.data.ics}</pre></>}
        </section>
      )}
      {preview.state === "error" && <ErrorNotice error={preview.error} />}
    </Page>
  );
}

export function Webhooks() {
  const list = useLoad(() => data(notifications.GET("/notifications/v1/webhooks", { params: { query: { per_page: 100 } } })), []);
  const [values, setValues] = useState({ url: "", event_types: "events.registration.*", description: "" });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const create = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      const created = await data(notifications.POST("/notifications/v1/webhooks", { body: { url: values.url, description: values.description || undefined,
        event_types: values.event_types.split(/[\s,]+/).filter(Boolean) } }));
      setSecret(created.secret); list.reload();
    } catch (err) { setError(err); }
  };
  return (
    <Page title="Webhooks">
      <NotificationsMenu />
      {secret && <Notice tone="warning">Secret de signature (affiché une seule fois, à conserver) : <code>{secret}</code></Notice>}
      <FormError error={error} />
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun webhook.</Empty> : (
        <table><thead><tr><th scope="col">URL</th><th scope="col">Événements</th><th scope="col">État</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{list.data.items.map((h) => (
            <tr key={h.id}><td><code>{h.url}</code>{h.description ? <><br /><small>{h.description}</small></> : null}</td>
              <td>{h.event_types.join(", ")}</td><td>{h.active ? "Actif" : `Désactivé${h.disabled_reason ? ` (${h.disabled_reason})` : ""}`}</td>
              <td className="actions">
                <button type="button" className="secondary" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>Essais récents</button>
                {!h.active && <button type="button" onClick={async () => {
                  try { await data(notifications.PATCH("/notifications/v1/webhooks/{hook_id}", { params: { path: { hook_id: h.id } }, body: { active: true } })); list.reload(); }
                  catch (err) { setError(err); } }}>Réactiver</button>}
                <Confirm label="Supprimer" confirmLabel="Oui, supprimer" question={`Supprimer le webhook ${h.url} ?`} onConfirm={async () => {
                  try { await data(notifications.DELETE("/notifications/v1/webhooks/{hook_id}", { params: { path: { hook_id: h.id } } })); list.reload(); }
                  catch (err) { setError(err); } }} />
              </td></tr>))}</tbody></table>
      ))}
      {open && <HookAttempts hookId={open} />}
      <form className="card" onSubmit={create} aria-labelledby="new-hook"><h2 id="new-hook">Nouveau webhook</h2>
        <div className="grid2">
          <TextField label="URL (https)" type="url" required value={values.url} onChange={(e) => setValues({ ...values, url: e.target.value })} error={errors.url} />
          <TextField label="Types d’événements (séparés par des virgules)" value={values.event_types} onChange={(e) => setValues({ ...values, event_types: e.target.value })} error={errors.event_types} />
          <TextField label="Description" value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} error={errors.description} />
        </div>
        <button type="submit">Créer le webhook</button>
      </form>
    </Page>
  );
}

function HookAttempts({ hookId }: { hookId: string }) {
  const list = useLoad(() => data(notifications.GET("/notifications/v1/deliveries", { params: { query: { webhook_id: hookId, per_page: 20 } } })), [hookId]);
  return (
    <section className="card" aria-labelledby="attempts"><h2 id="attempts">Essais récents du webhook</h2>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun envoi vers ce webhook.</Empty> : (
        <table><thead><tr><th scope="col">Date</th><th scope="col">Événement</th><th scope="col">État</th><th scope="col" className="num">Essais</th><th scope="col">Dernière erreur</th></tr></thead>
          <tbody>{list.data.items.map((d) => (
            <tr key={d.id}><td>{when(d.created_at)}</td><td>{d.event_type}</td><td>{STATUSES[d.status] ?? d.status}</td>
              <td className="num">{d.attempt_count ?? 0}</td><td>{d.last_error ?? "—"}</td></tr>))}</tbody></table>
      ))}
    </section>
  );
}
