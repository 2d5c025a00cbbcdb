// Registry: local groups and their member structures; territories.
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { data, registry } from "../../api/client";
import { ApiError, fieldErrors } from "../../api/problem";
import { Page } from "../../components/Layout";
import { TextField, SelectField } from "../../components/Field";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Confirm, FormError } from "../../components/staff/ui";
import { ifMatch, withEtag } from "../../lib/staff/api";

export function LocalGroupList() {
  const [q, setQ] = useState("");
  const list = useLoad(() => data(registry.GET("/registry/v1/local-groups", { params: { query: { q: q || undefined, per_page: 100 } } })), [q]);
  const [name, setName] = useState("");
  const [department, setDepartment] = useState("");
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const create = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(registry.POST("/registry/v1/local-groups", { body: { name, department: department || undefined } }));
      setName(""); setDepartment(""); list.reload();
    } catch (err) { setError(err); }
  };
  return (
    <Page title="Groupes locaux">
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField label="Rechercher un groupe" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      </form>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun groupe local.</Empty> : (
        <table><thead><tr><th scope="col">Groupe</th><th scope="col">Département</th><th scope="col" className="num">Structures</th><th scope="col">Agenda</th></tr></thead>
          <tbody>{list.data.items.map((g) => (
            <tr key={g.id}><td><Link to={`/gestion/groupes/${encodeURIComponent(g.id)}`}>{g.name}</Link></td>
              <td>{g.department ?? "—"}</td><td className="num">{g.structure_ids.length}</td>
              <td><Link to={`/groupes/${encodeURIComponent(g.id)}`}>agenda public</Link></td></tr>))}</tbody>
        </table>
      ))}
      <form className="card" onSubmit={create} aria-labelledby="new-group"><h2 id="new-group">Nouveau groupe local</h2>
        <FormError error={error} />
        <div className="grid2">
          <TextField label="Nom du groupe" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required />
          <TextField label="Département" value={department} onChange={(e) => setDepartment(e.target.value)} error={errors.department} />
        </div>
        <button type="submit">Créer le groupe</button>
      </form>
    </Page>
  );
}

export function LocalGroupAdmin() {
  const { groupId = "" } = useParams();
  const loaded = useLoad(async () => {
    const group = await withEtag(registry.GET("/registry/v1/local-groups/{group_id}", { params: { path: { group_id: groupId } } }));
    const members = await data(registry.GET("/registry/v1/structures", { params: { query: { local_group_id: groupId, per_page: 100 } } }));
    return { ...group, members: members.items };
  }, [groupId]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [structureId, setStructureId] = useState("");
  const [name, setName] = useState<string | null>(null);
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { data: g, etag, members } = loaded.data;
  const done = (text: string) => { setNotice(text); setError(null); loaded.reload(); };
  const join = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(registry.POST("/registry/v1/local-groups/{group_id}/structures", { params: { path: { group_id: g.id } }, body: { structure_id: structureId } }));
      setStructureId(""); done("Structure ajoutée au groupe.");
    } catch (err) { setError(err); }
  };
  const rename = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await withEtag(registry.PATCH("/registry/v1/local-groups/{group_id}", { params: { path: { group_id: g.id } },
        headers: ifMatch(etag, g.version), body: { name: name ?? g.name } }));
      setName(null); done("Groupe renommé.");
    } catch (err) { setError(err); }
  };
  return (
    <Page title={g.name} lead={g.department ? `Département ${g.department}` : undefined}>
      {notice && <Notice tone="success">{notice}</Notice>}
      <FormError error={error} onReload={loaded.reload} />
      <form className="toolbar" onSubmit={rename}>
        <TextField label="Nom du groupe" value={name ?? g.name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={name === null || name === g.name}>Renommer</button>
      </form>
      <h2>Structures membres ({members.length})</h2>
      {members.length === 0 ? <Empty>Aucune structure dans ce groupe.</Empty> : (
        <table><thead><tr><th scope="col">Structure</th><th scope="col">Commune</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{members.map((s) => (
            <tr key={s.id}><td><Link to={`/gestion/structures/${encodeURIComponent(s.id)}`}>{s.name}</Link></td><td>{s.city}</td>
              <td><Confirm label="Retirer" confirmLabel="Oui, retirer" question={`Retirer « ${s.name} » du groupe ?`}
                onConfirm={async () => {
                  try {
                    await data(registry.DELETE("/registry/v1/local-groups/{group_id}/structures/{structure_id}",
                      { params: { path: { group_id: g.id, structure_id: s.id } } }));
                    done("Structure retirée du groupe.");
                  } catch (err) { setError(err); }
                }} /></td></tr>))}</tbody>
        </table>
      )}
      <form className="toolbar" onSubmit={join}>
        <TextField label="Ajouter une structure (id)" value={structureId} onChange={(e) => setStructureId(e.target.value)}
          hint="L’identifiant figure sur la fiche de la structure. Elle quitte son groupe précédent." />
        <button type="submit" disabled={!structureId}>Ajouter au groupe</button>
      </form>
      <p><Link to={`/gestion/evenements/nouveau?type=local_group_meeting&groupe=${encodeURIComponent(g.id)}`}>Organiser une rencontre de ce groupe</Link></p>
    </Page>
  );
}

export function Territories() {
  const list = useLoad(() => data(registry.GET("/registry/v1/territories", { params: { query: { per_page: 100 } } })), []);
  const [values, setValues] = useState({ name: "", departments: "", kind: "coordination" });
  const [error, setError] = useState<unknown>(null);
  const errors = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const create = async (e: FormEvent) => {
    e.preventDefault(); setError(null);
    try {
      await data(registry.POST("/registry/v1/territories", { body: { name: values.name, kind: values.kind as never,
        departments: values.departments.split(/[\s,;]+/).filter(Boolean) } }));
      setValues({ name: "", departments: "", kind: "coordination" }); list.reload();
    } catch (err) { setError(err); }
  };
  return (
    <Page title="Territoires">
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.state === "ok" && (list.data.items.length === 0 ? <Empty>Aucun territoire.</Empty> : (
        <table><thead><tr><th scope="col">Territoire</th><th scope="col">Type</th><th scope="col">Départements</th></tr></thead>
          <tbody>{list.data.items.map((t) => (
            <tr key={t.id}><td>{t.name}</td><td>{t.kind === "demarrage" ? "Secteur de démarrage" : "Territoire de coordination"}</td>
              <td>{t.departments.join(", ")}</td></tr>))}</tbody></table>
      ))}
      <form className="card" onSubmit={create} aria-labelledby="new-territory"><h2 id="new-territory">Nouveau territoire</h2>
        <FormError error={error} />
        <div className="grid2">
          <TextField label="Nom" value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} error={errors.name} required />
          <TextField label="Départements (séparés par des virgules)" value={values.departments}
            onChange={(e) => setValues({ ...values, departments: e.target.value })} error={errors.departments} required />
          <SelectField label="Type" options={[["coordination", "Territoire de coordination"], ["demarrage", "Secteur de démarrage"]]}
            value={values.kind} onChange={(e) => setValues({ ...values, kind: e.target.value })} error={errors.kind} />
        </div>
        <button type="submit">Créer le territoire</button>
      </form>
    </Page>
  );
}
