// Registry: structures — search and filters, exports, create, edit (If-Match), lifecycle with dates, archive.
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { data, registry } from "../../api/client";
import { ApiError, fieldErrors, otherErrors } from "../../api/problem";
import type { components } from "../../api/schema/registry";
import { Page } from "../../components/Layout";
import { SelectField, TextField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Confirm, Download, FormError, Pager } from "../../components/staff/ui";
import { formatDate } from "../../lib/dates";
import { STRUCTURE_KINDS, STRUCTURE_STATUSES, label } from "../../lib/labels";
import { ifMatch, withEtag } from "../../lib/staff/api";
import { queryString } from "../../lib/staff/files";

type Structure = components["schemas"]["Structure"];
type StructureCreate = components["schemas"]["StructureCreate"];

const KIND_OPTIONS = Object.entries(STRUCTURE_KINDS) as [string, string][];
const STATUS_OPTIONS = Object.entries(STRUCTURE_STATUSES) as [string, string][];

export function StructureList() {
  const [filters, setFilters] = useState({ q: "", kind: "", status: "", department: "", archived: "false" });
  const [page, setPage] = useState(1);
  const query = { ...filters, q: filters.q || undefined, kind: filters.kind || undefined, status: filters.status || undefined,
    department: filters.department || undefined, archived: filters.archived === "" ? undefined : filters.archived === "true" };
  const list = useLoad(() => data(registry.GET("/registry/v1/structures", {
    params: { query: { ...query, page, per_page: 25 } as never } })), [JSON.stringify(filters), page]);
  const set = (key: keyof typeof filters) => (e: { target: { value: string } }) => { setPage(1); setFilters({ ...filters, [key]: e.target.value }); };
  const exportQuery = queryString({ q: filters.q, kind: filters.kind, status: filters.status, department: filters.department,
    archived: filters.archived });
  return (
    <Page title="Structures">
      <div className="actions"><Link to="/gestion/structures/nouvelle" className="button">Nouvelle structure</Link></div>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Rechercher (nom, commune)" type="search" value={filters.q} onChange={set("q")} />
        <SelectField label="Type" options={KIND_OPTIONS} empty="Tous" value={filters.kind} onChange={set("kind")} />
        <SelectField label="Statut" options={STATUS_OPTIONS} empty="Tous" value={filters.status} onChange={set("status")} />
        <TextField label="Département" value={filters.department} onChange={set("department")} maxLength={3} size={4} />
        <SelectField label="Archivées" options={[["false", "Non archivées"], ["true", "Archivées"]]} empty="Toutes"
          value={filters.archived} onChange={set("archived")} />
      </form>
      <div className="actions">
        <Download path={`/registry/v1/exports/structures.csv${exportQuery}`} fallback="structures.csv">Exporter en CSV</Download>
        <Download path={`/registry/v1/exports/structures.xlsx${exportQuery}`} fallback="structures.xlsx">Exporter en XLSX</Download>
      </div>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucune structure ne correspond.</Empty> : (
        <>
          <table>
            <caption className="visually-hidden">Structures</caption>
            <thead><tr><th scope="col">Nom</th><th scope="col">Type</th><th scope="col">Commune</th>
              <th scope="col">Dép.</th><th scope="col">Statut</th><th scope="col">Groupe local</th></tr></thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td><Link to={`/gestion/structures/${encodeURIComponent(s.id)}`}>{s.name}</Link>{s.archived ? " (archivée)" : ""}</td>
                  <td>{s.kind}</td><td>{s.city}</td><td>{s.department}</td>
                  <td>{label(STRUCTURE_STATUSES, s.status)}</td><td>{s.local_group_id ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={25} total={list.data.total} onPage={setPage} />
        </>
      ))}
    </Page>
  );
}

const EDITABLE = ["name", "kind", "city", "postal_code", "department", "insee_code", "address", "email", "phone",
  "website", "finess", "siret", "created_on"] as const;
type Editable = (typeof EDITABLE)[number];
const FIELD_LABELS: Record<Editable, string> = {
  name: "Nom", kind: "Type", city: "Commune", postal_code: "Code postal", department: "Département",
  insee_code: "Code INSEE de la commune", address: "Adresse", email: "E-mail", phone: "Téléphone", website: "Site web",
  finess: "FINESS", siret: "SIRET", created_on: "Date de création",
};

function StructureForm({ initial, onSubmit, submitLabel, create }: {
  initial: Partial<Record<Editable, string>> & { status?: string };
  onSubmit: (values: Record<string, string>) => Promise<void>; submitLabel: string; create?: boolean;
}) {
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries([...EDITABLE, ...(create ? ["status"] : [])].map((k) => [k, (initial as Record<string, string>)[k] ?? ""])));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setBusy(true); setError(null);
    try { await onSubmit(values); } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const set = (k: string) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const shown = [...EDITABLE, "status"];
  return (
    <form onSubmit={submit} noValidate>
      <FormError error={error} onReload={() => window.location.reload()} />
      {otherErrors(errors, shown).map((m) => <p key={m} className="field-error">{m}</p>)}
      <div className="grid2">
        {EDITABLE.map((k) => k === "kind"
          ? <SelectField key={k} label={FIELD_LABELS[k]} options={KIND_OPTIONS} value={values[k]} onChange={set(k)} error={errors[k]} required />
          : <TextField key={k} label={FIELD_LABELS[k]} value={values[k]} onChange={set(k)} error={errors[k]}
              type={k === "created_on" ? "date" : k === "email" ? "email" : "text"}
              required={["name", "city", "department"].includes(k)} />)}
        {create && <SelectField label="Statut" options={STATUS_OPTIONS} empty="(par défaut)" value={values.status}
          onChange={set("status")} error={errors.status} />}
      </div>
      <button type="submit" disabled={busy}>{busy ? "Enregistrement…" : submitLabel}</button>
    </form>
  );
}

function changes(values: Record<string, string>, before?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const old = before ? (before[k] ?? "") : "";
    if (v !== old) out[k] = v === "" ? null : v;
  }
  return out;
}

export function NewStructure() {
  const navigate = useNavigate();
  return (
    <Page title="Nouvelle structure">
      <StructureForm initial={{ kind: "MSP" }} create submitLabel="Créer la structure" onSubmit={async (values) => {
        const body = Object.fromEntries(Object.entries(changes(values)).filter(([, v]) => v !== null)) as StructureCreate;
        const created = await data(registry.POST("/registry/v1/structures", { body }));
        navigate(`/gestion/structures/${encodeURIComponent(created.id)}`);
      }} />
    </Page>
  );
}

export function StructureAdmin() {
  const { structureId = "" } = useParams();
  const loaded = useLoad(() => withEtag(registry.GET("/registry/v1/structures/{structure_id}",
    { params: { path: { structure_id: structureId } } })), [structureId]);
  const [saved, setSaved] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { data: s, etag } = loaded.data;
  const after = (text: string) => { setSaved(text); setRound(round + 1); loaded.reload(); };
  return (
    <Page title={s.name} lead={`${label(STRUCTURE_KINDS, s.kind)} — ${s.city} (${s.department})`}>
      {saved && <Notice tone="success">{saved}</Notice>}
      <section aria-labelledby="lifecycle"><h2 id="lifecycle">Statut et dates</h2>
        <p>Statut actuel : <strong>{label(STRUCTURE_STATUSES, s.status)}</strong>
          {s.labellisee_on && <> · labellisée le {formatDate(s.labellisee_on)}</>}
          {s.aci_on && <> · ACI signé le {formatDate(s.aci_on)}</>}
          {s.closed_on && <> · fermée le {formatDate(s.closed_on)}</>}</p>
        <Lifecycle structure={s} etag={etag} onDone={() => after("Statut enregistré.")} onReload={loaded.reload} />
        {(s.status_history ?? []).length > 0 && (
          <table><caption>Historique des statuts</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">De</th><th scope="col">Vers</th><th scope="col">Par</th></tr></thead>
            <tbody>{(s.status_history ?? []).map((h, i) => (
              <tr key={i}><td>{formatDate(h.date)}</td><td>{label(STRUCTURE_STATUSES, h.from) || "—"}</td>
                <td>{label(STRUCTURE_STATUSES, h.to)}</td><td>{h.by ?? ""}</td></tr>))}</tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="edit"><h2 id="edit">Informations</h2>
        <StructureForm key={`${s.version}-${round}`} initial={s as never} submitLabel="Enregistrer les modifications"
          onSubmit={async (values) => {
            const body = changes(values, s as never);
            if (!Object.keys(body).length) { setSaved("Rien à enregistrer."); return; }
            await withEtag(registry.PATCH("/registry/v1/structures/{structure_id}", {
              params: { path: { structure_id: s.id } }, headers: ifMatch(etag, s.version), body: body as never }));
            after("Modifications enregistrées.");
          }} />
      </section>
      <section aria-labelledby="archive"><h2 id="archive">Archivage</h2>
        {s.archived ? (
          <>
            <p>Archivée le {s.archived_on ? formatDate(s.archived_on) : "—"}.</p>
            <button type="button" onClick={async () => {
              await data(registry.POST("/registry/v1/structures/{structure_id}/restore", { params: { path: { structure_id: s.id } } }));
              after("Structure restaurée.");
            }}>Restaurer</button>
          </>
        ) : (
          <Confirm label="Archiver la structure" confirmLabel="Oui, archiver"
            question={`Archiver « ${s.name} » ? Elle quitte son groupe local et n’apparaît plus sur la carte.`}
            onConfirm={async () => {
              await data(registry.POST("/registry/v1/structures/{structure_id}/archive",
                { params: { path: { structure_id: s.id } }, body: {} }));
              after("Structure archivée.");
            }} />
        )}
      </section>
      <p><Link to={`/gestion/personnes?structure_id=${encodeURIComponent(s.id)}`}>Les personnes de cette structure</Link></p>
    </Page>
  );
}

function Lifecycle({ structure, etag, onDone, onReload }: { structure: Structure; etag: string | null; onDone: () => void; onReload: () => void }) {
  const [status, setStatus] = useState("");
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await withEtag(registry.PATCH("/registry/v1/structures/{structure_id}", {
        params: { path: { structure_id: structure.id } }, headers: ifMatch(etag, structure.version),
        body: { status: status as never, status_date: date } }));
      setStatus(""); onDone();
    } catch (err) { setError(err); }
  };
  return (
    <form className="toolbar" onSubmit={submit}>
      <FormError error={error} onReload={onReload} />
      <SelectField label="Nouveau statut" options={STATUS_OPTIONS.filter(([v]) => v !== structure.status)} empty="Choisir…"
        value={status} onChange={(e) => setStatus(e.target.value)} error={errors.status} required />
      <TextField label="Date du changement" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={errors.status_date} required />
      <button type="submit" disabled={!status}>Changer le statut</button>
    </form>
  );
}
