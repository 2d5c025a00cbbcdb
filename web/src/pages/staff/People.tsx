// Registry: people and their roles; GDPR export and erasure, each behind a confirmation.
import { useState, type FormEvent } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { data, registry } from "../../api/client";
import { ApiError, fieldErrors } from "../../api/problem";
import type { components } from "../../api/schema/registry";
import { Page } from "../../components/Layout";
import { SelectField, TextField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Confirm, Download, FormError, Pager } from "../../components/staff/ui";
import { formatDate } from "../../lib/dates";
import { ifMatch, withEtag } from "../../lib/staff/api";
import { queryString } from "../../lib/staff/files";

type Person = components["schemas"]["Person"];

export const ROLE_LABELS: Record<string, string> = {
  coordinator: "Coordinateur·rice", leader: "Leader", co_gerant: "Co-gérant·e (SISA)", professional: "Professionnel·le",
  facilitator: "Facilitateur·rice", federation_staff: "Équipe de la fédération",
};
const ROLE_OPTIONS = Object.entries(ROLE_LABELS) as [string, string][];

export const fullName = (p: { first_name?: string | null; last_name?: string | null }) =>
  `${p.first_name ?? ""} ${p.last_name ?? ""}`.trim() || "(sans nom)";

export function PersonList() {
  const [params] = useSearchParams();
  const [filters, setFilters] = useState({ q: "", role: "", structure_id: params.get("structure_id") ?? "" });
  const [page, setPage] = useState(1);
  const list = useLoad(() => data(registry.GET("/registry/v1/people", { params: { query: {
    q: filters.q || undefined, role: (filters.role || undefined) as never, structure_id: filters.structure_id || undefined,
    page, per_page: 25 } } })), [JSON.stringify(filters), page]);
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => { setPage(1); setFilters({ ...filters, [k]: e.target.value }); };
  const exportQuery = queryString(filters);
  return (
    <Page title="Personnes et rôles">
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Rechercher (nom, e-mail)" type="search" value={filters.q} onChange={set("q")} />
        <SelectField label="Rôle actuel" options={ROLE_OPTIONS} empty="Tous" value={filters.role} onChange={set("role")} />
        <TextField label="Structure (id)" value={filters.structure_id} onChange={set("structure_id")} />
      </form>
      <div className="actions">
        <Download path={`/registry/v1/exports/people.csv${exportQuery}`} fallback="personnes.csv">Exporter en CSV</Download>
        <Download path={`/registry/v1/exports/people.xlsx${exportQuery}`} fallback="personnes.xlsx">Exporter en XLSX</Download>
      </div>
      <NewPerson onCreated={list.reload} />
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Personne ne correspond.</Empty> : (
        <>
          <table><caption className="visually-hidden">Personnes</caption>
            <thead><tr><th scope="col">Nom</th><th scope="col">E-mail</th><th scope="col">Rôles actuels</th></tr></thead>
            <tbody>{list.data.items.map((p) => (
              <tr key={p.id}>
                <td><Link to={`/gestion/personnes/${encodeURIComponent(p.id)}`}>{fullName(p)}</Link>{p.erased ? " (effacée)" : ""}</td>
                <td>{p.email ?? "—"}</td>
                <td>{p.roles.filter((r) => r.active).map((r) => `${ROLE_LABELS[r.role] ?? r.role}${r.structure_name ? ` — ${r.structure_name}` : ""}`).join(" ; ") || "—"}</td>
              </tr>))}</tbody>
          </table>
          <Pager page={page} perPage={25} total={list.data.total} onPage={setPage} />
        </>
      ))}
    </Page>
  );
}

function NewPerson({ onCreated }: { onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ first_name: "", last_name: "", email: "" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  if (!open) return <button type="button" className="secondary" onClick={() => setOpen(true)}>Ajouter une personne</button>;
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(registry.POST("/registry/v1/people", { body: { ...values, email: values.email || undefined } }));
      setOpen(false); setValues({ first_name: "", last_name: "", email: "" }); onCreated();
    } catch (err) { setError(err); }
  };
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  return (
    <form className="card" onSubmit={submit} aria-label="Nouvelle personne">
      <FormError error={error} />
      <div className="grid2">
        <TextField label="Prénom" value={values.first_name} onChange={set("first_name")} error={errors.first_name} required />
        <TextField label="Nom" value={values.last_name} onChange={set("last_name")} error={errors.last_name} required />
        <TextField label="E-mail" type="email" value={values.email} onChange={set("email")} error={errors.email} />
      </div>
      <button type="submit">Enregistrer</button>{" "}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>Annuler</button>
    </form>
  );
}

export function PersonAdmin() {
  const { personId = "" } = useParams();
  const loaded = useLoad(() => withEtag(registry.GET("/registry/v1/people/{person_id}", { params: { path: { person_id: personId } } })), [personId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { data: p, etag } = loaded.data;
  const done = (text: string) => { setNotice(text); setError(null); loaded.reload(); };
  return (
    <Page title={fullName(p)} lead={p.erased ? `Données effacées le ${p.erased_on ? formatDate(p.erased_on) : "—"}` : p.email ?? undefined}>
      {notice && <Notice tone="success">{notice}</Notice>}
      <FormError error={error} onReload={loaded.reload} />
      {!p.erased && <PersonEdit person={p} etag={etag} onSaved={() => done("Modifications enregistrées.")} onReload={loaded.reload} />}
      <section aria-labelledby="roles"><h2 id="roles">Rôles</h2>
        {p.roles.length === 0 ? <Empty>Aucun rôle.</Empty> : (
          <table><thead><tr><th scope="col">Rôle</th><th scope="col">Structure</th><th scope="col">Depuis</th>
            <th scope="col">Jusqu’au</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>{p.roles.map((r) => (
              <tr key={r.id}><td>{ROLE_LABELS[r.role] ?? r.role}</td><td>{r.structure_name ?? r.structure_id ?? "—"}</td>
                <td>{formatDate(r.start_on)}</td><td>{r.end_on ? formatDate(r.end_on) : r.active ? "en cours" : "—"}</td>
                <td>{r.active && !p.erased && (
                  <button type="button" className="secondary" onClick={async () => {
                    try {
                      await data(registry.POST("/registry/v1/people/{person_id}/roles/{role_id}/end",
                        { params: { path: { person_id: p.id, role_id: r.id } }, body: {} }));
                      done("Rôle terminé.");
                    } catch (e) { setError(e); }
                  }}>Terminer ce rôle</button>)}</td></tr>))}</tbody>
          </table>
        )}
        {!p.erased && <AssignRole personId={p.id} onDone={() => done("Rôle attribué.")} />}
      </section>
      <section aria-labelledby="gdpr"><h2 id="gdpr">Données personnelles (RGPD)</h2>
        <div className="actions">
          <Confirm label="Exporter ses données" danger={false} confirmLabel="Oui, exporter"
            question={`Exporter tout ce que le registre détient sur ${fullName(p)} ? L’export est journalisé.`}
            onConfirm={async () => {
              try {
                const exportData = await data(registry.GET("/registry/v1/people/{person_id}/export", { params: { path: { person_id: p.id } } }));
                const blob = new Blob([JSON.stringify(exportData, null, 2)], { type: "application/json" });
                setExported(URL.createObjectURL(blob));
              } catch (e) { setError(e); }
            }} />
          {exported && <a href={exported} download={`donnees-${p.id}.json`}>Télécharger l’export (JSON)</a>}
          {!p.erased && (
            <Confirm label="Effacer cette personne" confirmLabel="Effacer définitivement"
              question={`Effacer définitivement ${fullName(p)} ? Son nom, son e-mail et son téléphone seront anonymisés, ses rôles terminés, et chaque service purgera ses données. C’est irréversible.`}
              onConfirm={async () => {
                try {
                  const erased = await data(registry.POST("/registry/v1/people/{person_id}/erase", { params: { path: { person_id: p.id } } }));
                  done(`Personne effacée (${erased.roles_ended} rôle(s) terminé(s)).`);
                } catch (e) { setError(e); }
              }} />
          )}
        </div>
        <p className="hint">Les autres services (inscriptions, formations, notifications) purgent leurs données à la réception de l’effacement.</p>
      </section>
    </Page>
  );
}

function PersonEdit({ person, etag, onSaved, onReload }: { person: Person; etag: string | null; onSaved: () => void; onReload: () => void }) {
  const [values, setValues] = useState({ first_name: person.first_name, last_name: person.last_name, email: person.email ?? "", phone: person.phone ?? "" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    const body: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(values)) if (v !== ((person as Record<string, unknown>)[k] ?? "")) body[k] = v || null;
    if (!Object.keys(body).length) return;
    try {
      await withEtag(registry.PATCH("/registry/v1/people/{person_id}", { params: { path: { person_id: person.id } },
        headers: ifMatch(etag, person.version), body: body as never }));
      onSaved();
    } catch (err) { setError(err); }
  };
  return (
    <form onSubmit={submit} aria-label="Coordonnées">
      <FormError error={error} onReload={onReload} />
      <div className="grid2">
        <TextField label="Prénom" value={values.first_name} onChange={set("first_name")} error={errors.first_name} />
        <TextField label="Nom" value={values.last_name} onChange={set("last_name")} error={errors.last_name} />
        <TextField label="E-mail" type="email" value={values.email} onChange={set("email")} error={errors.email} />
        <TextField label="Téléphone" value={values.phone} onChange={set("phone")} error={errors.phone} />
      </div>
      <button type="submit">Enregistrer</button>
    </form>
  );
}

function AssignRole({ personId, onDone }: { personId: string; onDone: () => void }) {
  const [role, setRole] = useState("coordinator");
  const [structureId, setStructureId] = useState("");
  const [start, setStart] = useState(new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(registry.POST("/registry/v1/people/{person_id}/roles", { params: { path: { person_id: personId } },
        body: { role: role as never, start_on: start, structure_id: structureId || undefined } }));
      setStructureId(""); onDone();
    } catch (err) { setError(err); }
  };
  return (
    <form className="toolbar" onSubmit={submit} aria-label="Attribuer un rôle">
      <FormError error={error} />
      <SelectField label="Rôle" options={ROLE_OPTIONS} value={role} onChange={(e) => setRole(e.target.value)} error={errors.role} />
      <TextField label="Structure (id)" value={structureId} onChange={(e) => setStructureId(e.target.value)} error={errors.structure_id} />
      <TextField label="À partir du" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={errors.start_on} />
      <button type="submit">Attribuer le rôle</button>
    </form>
  );
}
