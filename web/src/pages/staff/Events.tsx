// Events: the list with the go / no-go board, creation from a template per kind, and one event's back-office
// page (publish and invite, reschedule, cancel « faute de participants », registrations, exports, e-mails).
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { data, events, notifications, registry } from "../../api/client";
import { ApiError, fieldErrors, otherErrors } from "../../api/problem";
import type { components } from "../../api/schema/events";
import { Page } from "../../components/Layout";
import { SelectField, TextField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Badge, Confirm, Download, FormError, Pager } from "../../components/staff/ui";
import { formatRange } from "../../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, REGISTRATION_STATUSES, label } from "../../lib/labels";
import { ifMatch, withEtag } from "../../lib/staff/api";
import { fullName } from "../../lib/staff/checkin";
import { GO_NO_GO_LABELS, LACK_OF_PARTICIPANTS_REASON, goNoGo } from "../../lib/staff/goNoGo";
import { EVENT_TEMPLATES, eventFromTemplate, type EventTemplate } from "../../lib/staff/templates";
import { ROLE_LABELS } from "./People";

type Event = components["schemas"]["Event"];
type Registration = components["schemas"]["Registration"];

export const EVENT_STATUSES: Record<string, string> = {
  draft: "Brouillon", published: "Publié", held: "Tenu", cancelled: "Annulé",
};
const BOARD_TONES: Record<string, string> = { go: "go", at_risk: "watch", no_go: "no_go" };
const BOARD_LABELS: Record<string, string> = { go: "Go", at_risk: "À surveiller", no_go: "No-go" };

function GoNoGoBoard() {
  const board = useLoad(() => data(events.GET("/events/v1/events/go-no-go" as never, {} as never)) as Promise<unknown>, []);
  if (board.state !== "ok") return board.state === "error" ? <ErrorNotice error={board.error} /> : <Loading what="Go / no-go…" />;
  const raw = board.data as { items?: components["schemas"]["GoNoGo"][] } | components["schemas"]["GoNoGo"][];
  const items = Array.isArray(raw) ? raw : raw.items ?? [];
  return (
    <section aria-labelledby="board"><h2 id="board">Go / no-go des rencontres à venir</h2>
      {items.length === 0 ? <Empty>Aucune rencontre à venir n’a de minimum de participants.</Empty> : (
        <table><thead><tr><th scope="col">Rencontre</th><th scope="col">Date</th><th scope="col" className="num">Inscrits / minimum</th>
          <th scope="col">Décision avant le</th><th scope="col">Verdict</th></tr></thead>
          <tbody>{items.map((g) => (
            <tr key={g.event_id}><td><Link to={`/gestion/evenements/${encodeURIComponent(g.event_id ?? "")}`}>{g.title}</Link></td>
              <td>{g.starts_at ? formatRange(g.starts_at, g.starts_at).split(",")[0] : ""}</td>
              <td className="num">{g.registered} / {g.min_participants}</td>
              <td>{g.decision_by ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(new Date(g.decision_by)) : "—"}
                {g.days_left != null ? ` (J-${g.days_left})` : ""}</td>
              <td><Badge tone={BOARD_TONES[g.status ?? ""] ?? "none"}>{BOARD_LABELS[g.status ?? ""] ?? g.status}</Badge>
                {g.missing ? ` il manque ${g.missing}` : ""}</td></tr>))}</tbody></table>
      )}
    </section>
  );
}

export function EventList() {
  const [filters, setFilters] = useState({ kind: "", status: "", from: new Date().toISOString().slice(0, 10), to: "" });
  const [page, setPage] = useState(1);
  const list = useLoad(() => data(events.GET("/events/v1/events", { params: { query: {
    kind: (filters.kind || undefined) as never, status: (filters.status || undefined) as never,
    from: filters.from || undefined, to: filters.to || undefined, page, per_page: 25 } as never } })), [JSON.stringify(filters), page]);
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => { setPage(1); setFilters({ ...filters, [k]: e.target.value }); };
  return (
    <Page title="Événements">
      <div className="actions"><Link className="button" to="/gestion/evenements/nouveau">Nouvel événement</Link></div>
      <GoNoGoBoard />
      <h2>Tous les événements</h2>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Type" options={Object.entries(EVENT_KINDS)} empty="Tous" value={filters.kind} onChange={set("kind")} />
        <SelectField label="Statut" options={Object.entries(EVENT_STATUSES)} empty="Tous" value={filters.status} onChange={set("status")} />
        <TextField label="Du" type="date" value={filters.from} onChange={set("from")} />
        <TextField label="Au" type="date" value={filters.to} onChange={set("to")} />
      </form>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun événement sur cette période.</Empty> : (
        <>
          <table><thead><tr><th scope="col">Événement</th><th scope="col">Type</th><th scope="col">Date</th>
            <th scope="col">Statut</th><th scope="col" className="num">Inscrits</th></tr></thead>
            <tbody>{list.data.items.map((e) => (
              <tr key={e.id}><td><Link to={`/gestion/evenements/${encodeURIComponent(e.id)}`}>{e.title}</Link></td>
                <td>{label(EVENT_KINDS, e.kind)}</td><td>{formatRange(e.starts_at, e.ends_at, e.timezone)}</td>
                <td>{label(EVENT_STATUSES, e.status)}</td>
                <td className="num">{e.seats?.taken ?? 0}{e.capacity ? ` / ${e.capacity}` : ""}</td></tr>))}</tbody></table>
          <Pager page={page} perPage={25} total={list.data.total} onPage={setPage} />
        </>
      ))}
    </Page>
  );
}

export function NewEvent() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [kind, setKind] = useState<keyof typeof EVENT_TEMPLATES>((params.get("type") as keyof typeof EVENT_TEMPLATES) || "local_group_meeting");
  const template: EventTemplate = EVENT_TEMPLATES[kind] ?? EVENT_TEMPLATES.local_group_meeting;
  const groups = useLoad(() => data(registry.GET("/registry/v1/local-groups", { params: { query: { per_page: 100 } } })), []);
  const [values, setValues] = useState({ title: "", date: "", start: "", group: params.get("groupe") ?? "", city: "", venueName: "",
    address: "", postal: "", video: "", theme: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const group = groups.state === "ok" ? groups.data.items.find((g) => g.id === values.group) : undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null); setBusy(true);
    try {
      const body = eventFromTemplate(template, {
        date: values.date, start: values.start || undefined,
        title: values.title || (template.needsLocalGroup && group ? `${template.title} — ${group.name}` : undefined),
        localGroupId: template.needsLocalGroup ? values.group || null : null,
        department: group?.department ?? null, theme: values.theme || null, videoLink: values.video || null,
        venue: { name: values.venueName || null, address: values.address || null, city: values.city || null, postal_code: values.postal || null },
      });
      const created = await data(events.POST("/events/v1/events", { body }));
      navigate(`/gestion/evenements/${encodeURIComponent(created.id)}`);
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const shown = ["title", "starts_at", "ends_at", "local_group_id", "venue", "video_link", "theme", "audience"];
  return (
    <Page title="Nouvel événement" lead="Choisissez un modèle : durée, format, places, minimum et ordre du jour sont pré-remplis.">
      <form onSubmit={submit} noValidate>
        <FormError error={error} />
        {otherErrors(errors, shown).map((m) => <p key={m} className="field-error">{m}</p>)}
        <fieldset><legend>Modèle</legend>
          {Object.values(EVENT_TEMPLATES).map((t) => (
            <label key={t.kind} className="radio"><input type="radio" name="kind" value={t.kind} checked={kind === t.kind}
              onChange={() => setKind(t.kind as keyof typeof EVENT_TEMPLATES)} /> {label(EVENT_KINDS, t.kind)}</label>
          ))}
        </fieldset>
        <p className="hint">{label(EVENT_FORMATS, template.format)} · {String(template.hours).replace(".", ",")} h à partir de {template.start}
          {template.capacity ? ` · ${template.capacity} places` : ""}{template.min_participants ? ` · minimum ${template.min_participants} participants, ${template.minimum_days_before} jours avant` : ""}
          {template.requires_approval ? " · inscriptions validées par l’équipe" : ""}.
          Ordre du jour : {template.agenda_items.join(", ")}.</p>
        <div className="grid2">
          {template.needsLocalGroup && (
            <SelectField label="Groupe local" required empty="Choisir un groupe…" value={values.group} onChange={set("group")}
              error={errors.local_group_id} options={groups.state === "ok" ? groups.data.items.map((g) => [g.id, g.name]) : []} />
          )}
          <TextField label="Titre" value={values.title} onChange={set("title")} error={errors.title}
            hint={`Par défaut : « ${template.title}${template.needsLocalGroup ? " — <groupe>" : ""} »`} />
          <TextField label="Date" type="date" required value={values.date} onChange={set("date")} error={errors.starts_at} />
          <TextField label="Heure de début" type="time" value={values.start} onChange={set("start")} hint={`Par défaut ${template.start}`} error={errors.ends_at} />
          <TextField label="Thème" value={values.theme} onChange={set("theme")} error={errors.theme} />
          {template.format !== "video" && <>
            <TextField label="Lieu (nom)" value={values.venueName} onChange={set("venueName")} error={errors["venue.name"]} />
            <TextField label="Adresse" value={values.address} onChange={set("address")} error={errors["venue.address"]} />
            <TextField label="Code postal" value={values.postal} onChange={set("postal")} error={errors["venue.postal_code"]} />
            <TextField label="Commune" value={values.city} onChange={set("city")} error={errors["venue.city"]} />
          </>}
          {template.format !== "in_person" && <TextField label="Lien de visioconférence" type="url" value={values.video} onChange={set("video")} error={errors.video_link} />}
        </div>
        <button type="submit" disabled={busy || !values.date}>{busy ? "Création…" : "Créer le brouillon"}</button>
      </form>
    </Page>
  );
}

export function EventAdmin() {
  const { eventId = "" } = useParams();
  const loaded = useLoad(() => withEtag(events.GET("/events/v1/events/{event_id}", { params: { path: { event_id: eventId } } })), [eventId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { data: ev, etag } = loaded.data;
  const done = (text: string) => { setNotice(text); setError(null); setRound(round + 1); loaded.reload(); };
  const act = async (what: () => Promise<unknown>, text: string) => {
    setError(null);
    try { await what(); done(text); } catch (e) { setError(e); }
  };
  const verdict = goNoGo(ev as never);
  const path = { event_id: ev.id };
  const inPerson = ev.format !== "video";
  return (
    <Page title={ev.title} lead={`${label(EVENT_KINDS, ev.kind)} · ${formatRange(ev.starts_at, ev.ends_at, ev.timezone)} · ${label(EVENT_STATUSES, ev.status)}`}>
      {notice && <Notice tone="success">{notice}</Notice>}
      <FormError error={error} onReload={loaded.reload} />
      <section aria-labelledby="state"><h2 id="state">Suivi</h2>
        <p>Places : {ev.seats?.taken ?? 0} prises{ev.capacity ? ` sur ${ev.capacity}` : ""}
          {ev.seats?.waitlisted ? ` · ${ev.seats.waitlisted} en liste d’attente` : ""}
          {ev.seats?.awaiting ? ` · ${ev.seats.awaiting} à valider` : ""}</p>
        <p><Badge tone={verdict.state}>{GO_NO_GO_LABELS[verdict.state]}</Badge> {verdict.text}</p>
        {ev.cancel_reason && <p>Motif d’annulation : {ev.cancel_reason}</p>}
        <div className="actions">
          {ev.status === "draft" && (
            <Confirm label="Publier et inviter" danger={false} confirmLabel="Oui, publier"
              question={`Publier « ${ev.title} » ? Il entre dans l’agenda, les inscriptions s’ouvrent et les invitations partent vers : ${audienceText(ev)}.`}
              onConfirm={() => act(() => data(events.POST("/events/v1/events/{event_id}/publish", { params: { path }, headers: ifMatch(etag, ev.version), body: {} })),
                "Événement publié : les invitations partent.")} />
          )}
          {ev.status === "published" && new Date(ev.starts_at) <= new Date() && (
            <button type="button" onClick={() => act(() => data(events.POST("/events/v1/events/{event_id}/hold", { params: { path }, body: {} })), "Événement marqué comme tenu.")}>
              Marquer comme tenu</button>
          )}
          {(ev.status === "published" || ev.status === "draft") && <CancelEvent ev={ev} lack={verdict.state !== "go"} onCancel={(reason) =>
            act(() => data(events.POST("/events/v1/events/{event_id}/cancel", { params: { path }, body: { reason } })), "Événement annulé : les inscrits sont prévenus.")} />}
          <Link to={`/evenements/${encodeURIComponent(ev.id)}`}>Page publique</Link>
          <Link to={`/gestion/evenements/${encodeURIComponent(ev.id)}/emargement`}>Émargement (sur téléphone)</Link>
        </div>
      </section>
      {(ev.status === "draft" || ev.status === "published") && (
        <Reschedule key={`r${round}`} ev={ev} etag={etag} onDone={() => done("Événement modifié : les inscrits et invités sont prévenus.")} onReload={loaded.reload} />
      )}
      <AudienceEditor key={`a${round}`} ev={ev} etag={etag} onReload={loaded.reload}
        onDone={() => done(ev.status === "draft" ? "Public invité enregistré." : "Invitations envoyées à celles et ceux qui ne l’avaient pas encore reçue.")} />
      <section aria-labelledby="exports"><h2 id="exports">Exports</h2>
        <div className="actions">
          <Download path={`/events/v1/events/${encodeURIComponent(ev.id)}/registrants.xlsx`} fallback="inscrits.xlsx">Inscrits (XLSX)</Download>
          <Download path={`/events/v1/events/${encodeURIComponent(ev.id)}/attendance.xlsx`} fallback="presences.xlsx">Présences (XLSX)</Download>
          {inPerson && <Download path={`/events/v1/events/${encodeURIComponent(ev.id)}/attendance-sheet.pdf`} fallback="feuille-emargement.pdf">Feuille d’émargement (PDF)</Download>}
        </div>
      </section>
      {ev.kind === "webinar" && <ReplayViews ev={ev} onDone={() => done("Vues en replay ajoutées.")} />}
      <Registrations ev={ev} onChange={loaded.reload} />
      <Reminders eventId={ev.id} />
      <p><Link to={`/gestion/notifications?event_id=${encodeURIComponent(ev.id)}`}>Les e-mails envoyés pour cet événement</Link></p>
    </Page>
  );
}

function audienceText(ev: Event): string {
  const a = ev.audience ?? {};
  const parts = [
    a.local_group_ids?.length ? `groupe(s) ${a.local_group_ids.join(", ")}` : "",
    a.roles?.length ? a.roles.map((r) => ROLE_LABELS[r] ?? r).join(", ") : "",
    a.structure_kinds?.length ? a.structure_kinds.join(", ") : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "toute la fédération";
}

function CancelEvent({ ev, lack, onCancel }: { ev: Event; lack: boolean; onCancel: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState(lack && ev.min_participants ? LACK_OF_PARTICIPANTS_REASON : "");
  return (
    <Confirm label="Annuler l’événement" confirmLabel="Confirmer l’annulation" disabled={false}
      question={`Annuler « ${ev.title} » ? Chaque inscrit et invité reçoit un e-mail d’annulation.`}
      onConfirm={() => onCancel(reason.trim() || LACK_OF_PARTICIPANTS_REASON)}>
      <TextField label="Motif (envoyé aux inscrits)" value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="button" className="secondary" onClick={() => setReason(LACK_OF_PARTICIPANTS_REASON)}>Faute de participants</button>{" "}
    </Confirm>
  );
}

function toLocalInput(iso: string): string {
  const parts = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  return parts.replace(" ", "T");
}

function Reschedule({ ev, etag, onDone, onReload }: { ev: Event; etag: string | null; onDone: () => void; onReload: () => void }) {
  const [starts, setStarts] = useState(toLocalInput(ev.starts_at));
  const [ends, setEnds] = useState(toLocalInput(ev.ends_at));
  const [capacity, setCapacity] = useState(ev.capacity ? String(ev.capacity) : "");
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    const body: Record<string, unknown> = {};
    if (starts !== toLocalInput(ev.starts_at)) body.starts_at = `${starts}:00`;
    if (ends !== toLocalInput(ev.ends_at)) body.ends_at = `${ends}:00`;
    if (capacity !== (ev.capacity ? String(ev.capacity) : "")) body.capacity = capacity ? Number(capacity) : null;
    if (!Object.keys(body).length) return;
    body.timezone = ev.timezone;
    try {
      await withEtag(events.PATCH("/events/v1/events/{event_id}", { params: { path: { event_id: ev.id } }, headers: ifMatch(etag, ev.version), body: body as never }));
      onDone();
    } catch (err) { setError(err); }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="reschedule"><h2 id="reschedule">Reporter ou modifier</h2>
      <FormError error={error} onReload={onReload} />
      <div className="toolbar">
        <TextField label="Début" type="datetime-local" value={starts} onChange={(e) => setStarts(e.target.value)} error={errors.starts_at} />
        <TextField label="Fin" type="datetime-local" value={ends} onChange={(e) => setEnds(e.target.value)} error={errors.ends_at} />
        <TextField label="Places" type="number" min={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} error={errors.capacity} />
        <button type="submit">Enregistrer</button>
      </div>
    </form>
  );
}

const AUDIENCE_ROLES = ["coordinator", "leader", "co_gerant", "professional", "facilitator"] as const;

function AudienceEditor({ ev, etag, onDone, onReload }: { ev: Event; etag: string | null; onDone: () => void; onReload: () => void }) {
  const groups = useLoad(() => data(registry.GET("/registry/v1/local-groups", { params: { query: { per_page: 100 } } })), []);
  const draft = ev.status === "draft";
  const published = ev.status === "published";
  // A draft's audience is edited (its invitations go at publication); a published event invites more people.
  const [selected, setSelected] = useState<string[]>(draft ? ev.audience?.local_group_ids ?? [] : []);
  const [roles, setRoles] = useState<string[]>(draft ? ev.audience?.roles ?? [] : []);
  const [error, setError] = useState<unknown>(null);
  const toggle = (list: string[], value: string) => list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      if (draft) {
        await withEtag(events.PATCH("/events/v1/events/{event_id}", { params: { path: { event_id: ev.id } }, headers: ifMatch(etag, ev.version),
          body: { audience: { ...(ev.audience ?? {}), local_group_ids: selected, roles: roles as never } } as never }));
      } else {
        await withEtag(events.POST("/events/v1/events/{event_id}/invitations", { params: { path: { event_id: ev.id } },
          headers: ifMatch(etag, ev.version), body: { local_group_ids: selected, roles: roles as never } }));
        setSelected([]); setRoles([]);
      }
      onDone();
    } catch (err) { setError(err); }
  };
  const later = ev.invitations ?? [];
  return (
    <form className="card" onSubmit={submit} aria-labelledby="audience"><h2 id="audience">Invitations</h2>
      <p>Public invité : <strong>{audienceText(ev)}</strong>.{" "}
        {draft ? "Les invitations (avec le fichier .ics) partent à la publication."
          : "Les invitations sont parties à la publication."}</p>
      {later.length > 0 && (
        <ul aria-label="Invitations envoyées depuis">{later.map((inv, i) => (
          <li key={i}>{new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" }).format(new Date(inv.at))}
            {" : "}{audienceText({ ...ev, audience: inv.audience } as Event)}</li>))}</ul>
      )}
      <FormError error={error} onReload={onReload} />
      {(draft || published) && (
        <>
          {published && <p>Inviter aussi d’autres personnes : seules celles qui n’ont pas encore reçu l’invitation la reçoivent.</p>}
          <fieldset><legend>{draft ? "Groupes locaux invités" : "Inviter aussi ces groupes locaux"}</legend>
            {groups.state === "ok" && groups.data.items.map((g) => (
              <label key={g.id} className="checkbox"><input type="checkbox" checked={selected.includes(g.id)}
                onChange={() => setSelected(toggle(selected, g.id))} /> {g.name}</label>))}
          </fieldset>
          <fieldset><legend>{draft ? "Rôles invités" : "Inviter aussi ces rôles"}</legend>
            {AUDIENCE_ROLES.map((r) => (
              <label key={r} className="checkbox"><input type="checkbox" checked={roles.includes(r)}
                onChange={() => setRoles(toggle(roles, r))} /> {ROLE_LABELS[r]}</label>))}
          </fieldset>
          <button type="submit" disabled={published && !selected.length && !roles.length}>
            {draft ? "Enregistrer le public invité" : "Envoyer les invitations"}</button>
        </>
      )}
    </form>
  );
}

function ReplayViews({ ev, onDone }: { ev: Event; onDone: () => void }) {
  const [views, setViews] = useState("");
  const [error, setError] = useState<unknown>(null);
  return (
    <form className="card" aria-labelledby="replay" onSubmit={async (e) => {
      e.preventDefault(); setError(null);
      try {
        await data(events.POST("/events/v1/events/{event_id}/replay-views", { params: { path: { event_id: ev.id } }, body: { views: Number(views) } }));
        setViews(""); onDone();
      } catch (err) { setError(err); }
    }}><h2 id="replay">Replay</h2>
      <p>Vues en replay à ce jour : <strong>{ev.replay_views ?? 0}</strong></p>
      <FormError error={error} />
      <div className="toolbar">
        <TextField label="Vues à ajouter" type="number" min={1} value={views} onChange={(e) => setViews(e.target.value)} />
        <button type="submit" disabled={!views}>Ajouter</button>
      </div>
    </form>
  );
}

async function allRegistrations(eventId: string): Promise<Registration[]> {
  const out: Registration[] = [];
  for (let page = 1; page < 50; page++) {
    const result = await data(events.GET("/events/v1/events/{event_id}/registrations", { params: { path: { event_id: eventId }, query: { page, per_page: 100 } } }));
    out.push(...result.items);
    if (out.length >= result.total || result.items.length === 0) break;
  }
  return out;
}
export { allRegistrations };

function Registrations({ ev, onChange }: { ev: Event; onChange: () => void }) {
  const list = useLoad(() => allRegistrations(ev.id), [ev.id]);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<unknown>(null);
  const path = (r: Registration) => ({ event_id: ev.id, registration_id: r.id });
  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try { await what(); list.reload(); onChange(); } catch (e) { setError(e); }
  };
  const items = list.state === "ok" ? list.data.filter((r) => !status || r.status === status) : [];
  return (
    <section aria-labelledby="registrations"><h2 id="registrations">Inscriptions</h2>
      {ev.status === "published" && <RegisterSomeone eventId={ev.id} onDone={() => { list.reload(); onChange(); }} />}
      <FormError error={error} />
      <div className="toolbar">
        <SelectField label="Statut" options={Object.entries(REGISTRATION_STATUSES)} empty="Tous" value={status} onChange={(e) => setStatus(e.target.value)} />
      </div>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (items.length === 0 ? <Empty>Aucune inscription.</Empty> : (
        <table><thead><tr><th scope="col">Nom</th><th scope="col">Structure</th><th scope="col">Statut</th>
          <th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{items.map((r) => (
            <tr key={r.id}><td>{fullName(r)}{r.guest ? " (invité·e extérieur·e)" : ""}</td><td>{r.organization ?? "—"}</td>
              <td>{label(REGISTRATION_STATUSES, r.status)}{r.status === "waitlisted" && r.waitlist_position ? ` (n° ${r.waitlist_position})` : ""}</td>
              <td className="actions">
                {r.status === "awaiting_approval" && <>
                  <button type="button" onClick={() => act(() => data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/approve", { params: { path: path(r) }, body: {} })))}>Valider</button>
                  <button type="button" className="secondary" onClick={() => act(() => data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/reject", { params: { path: path(r) }, body: {} })))}>Refuser</button>
                </>}
                {["registered", "waitlisted", "awaiting_approval"].includes(r.status) && (
                  <button type="button" className="secondary" onClick={() => act(() => data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/cancel", { params: { path: path(r) }, body: {} })))}>
                    Annuler<span className="visually-hidden"> l’inscription de {fullName(r)}</span></button>
                )}
              </td></tr>))}</tbody></table>
      ))}
    </section>
  );
}

function RegisterSomeone({ eventId, onDone }: { eventId: string; onDone: () => void }) {
  const [q, setQ] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [last, setLast] = useState<string | null>(null);
  const people = useLoad(() => q.trim().length < 2 ? Promise.resolve(null)
    : data(registry.GET("/registry/v1/people", { params: { query: { q, per_page: 8 } } })), [q]);
  const register = async (personId: string, name: string) => {
    setError(null);
    try {
      const r = await data(events.POST("/events/v1/events/{event_id}/registrations", { params: { path: { event_id: eventId } }, body: { person_id: personId } }));
      setLast(`${name} : ${label(REGISTRATION_STATUSES, r.status)}`); setQ(""); onDone();
    } catch (err) { setError(err); }
  };
  return (
    <div className="card">
      <h3>Inscrire une personne du registre</h3>
      {last && <Notice tone="success">{last}</Notice>}
      <FormError error={error} />
      <TextField label="Rechercher une personne (nom)" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      {people.state === "ok" && people.data && (people.data.items.length === 0 ? <Empty>Personne ne correspond.</Empty> : (
        <ul className="plain">{people.data.items.map((p) => (
          <li key={p.id}>{fullName(p)} {p.roles.filter((r) => r.active).map((r) => r.structure_name).filter(Boolean).slice(0, 1).join("")}{" "}
            <button type="button" onClick={() => register(p.id, fullName(p))}>Inscrire<span className="visually-hidden"> {fullName(p)}</span></button></li>))}</ul>
      ))}
    </div>
  );
}

function Reminders({ eventId }: { eventId: string }) {
  const reminders = useLoad(() => data(notifications.GET("/notifications/v1/reminders" as never, { params: { query: { event_id: eventId } } } as never)) as Promise<unknown>, [eventId]);
  const raw = reminders.state === "ok" ? reminders.data as { items?: components_notif_Reminder[] } | components_notif_Reminder[] : [];
  const items = Array.isArray(raw) ? raw : raw.items ?? [];
  const RULES: Record<string, string> = { pending: "prévu", fired: "envoyé", dropped: "abandonné", skipped: "sauté" };
  return (
    <section aria-labelledby="reminders"><h2 id="reminders">Rappels programmés</h2>
      {reminders.state === "loading" && <Loading />}
      {reminders.state === "error" && <ErrorNotice error={reminders.error} />}
      {reminders.state === "ok" && (items.length === 0 ? <Empty>Aucun rappel programmé (ils sont armés à la publication, pour chaque inscrit).</Empty> : (
        <table><thead><tr><th scope="col">Règle</th><th scope="col">Pour</th><th scope="col">Quand</th><th scope="col">État</th></tr></thead>
          <tbody>{items.map((r) => (
            <tr key={r.id}><td>{r.rule}</td><td>{r.recipient_name ?? "—"}</td>
              <td>{r.fire_at ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "short", timeZone: "Europe/Paris" }).format(new Date(r.fire_at)) : "—"}</td>
              <td>{RULES[r.status ?? ""] ?? r.status}{r.reason ? ` (${r.reason})` : ""}</td></tr>))}</tbody></table>
      ))}
    </section>
  );
}
type components_notif_Reminder = { id?: string; rule?: string; recipient_name?: string | null; fire_at?: string; status?: string; reason?: string | null };
