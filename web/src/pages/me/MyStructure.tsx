// My structure's profile: everything shown, the fields a coordinator may change editable
// (e-mail, phone, website, address — services/registry/README.md), saved with If-Match.
import { useEffect, useState, type FormEvent } from "react";
import { registry } from "../../api/client";
import { ApiError, otherErrors, type FieldErrors, type Problem } from "../../api/problem";
import type { components } from "../../api/schema/registry";
import { myStructureIds, useSession } from "../../auth/session";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatDate } from "../../lib/dates";
import { STRUCTURE_KINDS, STRUCTURE_STATUSES, label } from "../../lib/labels";

type Structure = components["schemas"]["Structure"];
const EDITABLE = ["email", "phone", "website", "address"] as const;
type Editable = (typeof EDITABLE)[number];
const LABELS: Record<Editable, string> = { email: "E-mail de contact", phone: "Téléphone", website: "Site web", address: "Adresse" };
const TYPES: Record<Editable, string> = { email: "email", phone: "tel", website: "url", address: "text" };

async function loadStructure(id: string): Promise<{ structure: Structure; etag: string }> {
  const { data, error, response } = await registry.GET("/registry/v1/structures/{structure_id}",
    { params: { path: { structure_id: id } } });
  if (!response.ok || !data) throw new ApiError(response.status, (error as Problem) ?? null);
  return { structure: data, etag: response.headers.get("ETag") ?? "" };
}

function StructureForm({ id }: { id: string }) {
  const loaded = useLoad(() => loadStructure(id), [id]);
  const [values, setValues] = useState<Record<Editable, string>>({ email: "", phone: "", website: "", address: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.state !== "ok") return;
    const s = loaded.data.structure;
    setValues({ email: s.email ?? "", phone: s.phone ?? "", website: s.website ?? "", address: s.address ?? "" });
  }, [loaded.state, loaded.data]);

  if (loaded.state === "loading") return <Loading what="Chargement de la structure…" />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { structure, etag } = loaded.data;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const changes: Record<string, string | null> = {};
    for (const key of EDITABLE) {
      const before = structure[key] ?? "";
      if (values[key].trim() !== before) changes[key] = values[key].trim() || null;
    }
    setSaved(false); setProblem(null); setErrors({});
    if (!Object.keys(changes).length) { setSaved(true); return; }
    setBusy(true);
    const { error, response } = await registry.PATCH("/registry/v1/structures/{structure_id}", {
      params: { path: { structure_id: id } }, body: changes as never, headers: { "If-Match": etag } });
    setBusy(false);
    if (response.ok) { setSaved(true); loaded.reload(); return; }
    const apiError = new ApiError(response.status, (error as Problem) ?? null);
    setProblem(apiError);
    setErrors(apiError.fields);
  };

  const others = otherErrors(errors, [...EDITABLE]);
  return (
    <section aria-labelledby={`structure-${id}`}>
      <h2 id={`structure-${id}`}>{structure.name}</h2>
      <dl className="facts">
        <dt>Type</dt><dd>{label(STRUCTURE_KINDS, structure.kind)}</dd>
        <dt>Statut</dt><dd>{label(STRUCTURE_STATUSES, structure.status)}</dd>
        <dt>Commune</dt><dd>{structure.city} ({structure.department})</dd>
        {structure.finess && <><dt>FINESS</dt><dd>{structure.finess}</dd></>}
        {structure.created_on && <><dt>Création</dt><dd>{formatDate(structure.created_on)}</dd></>}
      </dl>
      <form onSubmit={submit} noValidate aria-describedby={`structure-help-${id}`}>
        <p className="hint" id={`structure-help-${id}`}>Vous pouvez modifier les coordonnées ; pour le reste, écrivez à votre fédération.</p>
        {saved && <Notice tone="success">Modifications enregistrées.</Notice>}
        {problem && <div className="notice error" role="alert"><p>{problem.message}</p>
          {others.length > 0 && <ul>{others.map((m) => <li key={m}>{m}</li>)}</ul>}
          {problem.status === 412 && <button type="button" onClick={loaded.reload}>Recharger</button>}</div>}
        {EDITABLE.map((key) => (
          <TextField key={key} label={LABELS[key]} type={TYPES[key]} value={values[key]} error={errors[key]}
            autoComplete={key === "email" ? "email" : key === "phone" ? "tel" : key === "website" ? "url" : "street-address"}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
        ))}
        <button type="submit" disabled={busy}>Enregistrer</button>
      </form>
    </section>
  );
}

export function MyStructure() {
  const { me } = useSession();
  const ids = myStructureIds(me);
  return (
    <Page title="Ma structure">
      <SpaceNav />
      {ids.length === 0 ? <Empty>Aucune structure n’est rattachée à votre compte.</Empty>
        : ids.map((id) => <StructureForm key={id} id={id} />)}
    </Page>
  );
}
