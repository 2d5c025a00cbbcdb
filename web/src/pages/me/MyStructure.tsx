// The structures I coordinate (GET /registry/v1/me/structures): everything shown, the fields I may
// change (`editable_fields`) editable, saved with If-Match (the ETag read just before).
import { useEffect, useState, type FormEvent } from "react";
import { data, registry } from "../../api/client";
import { ApiError, otherErrors, type FieldErrors, type Problem } from "../../api/problem";
import type { components } from "../../api/schema/registry";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatDate } from "../../lib/dates";
import { STRUCTURE_KINDS, STRUCTURE_STATUSES, label } from "../../lib/labels";

type Structure = components["schemas"]["Structure"];
const FIELDS: Record<string, { label: string; type: string; autoComplete: string }> = {
  email: { label: "E-mail de contact", type: "email", autoComplete: "email" },
  phone: { label: "Téléphone", type: "tel", autoComplete: "tel" },
  website: { label: "Site web", type: "url", autoComplete: "url" },
  address: { label: "Adresse", type: "text", autoComplete: "street-address" },
};

async function withEtag(id: string): Promise<{ structure: Structure; etag: string }> {
  const { data: structure, error, response } = await registry.GET("/registry/v1/structures/{structure_id}",
    { params: { path: { structure_id: id } } });
  if (!response.ok || !structure) throw new ApiError(response.status, (error as Problem) ?? null);
  return { structure, etag: response.headers.get("ETag") ?? "" };
}

function StructureForm({ id, editable }: { id: string; editable: string[] }) {
  const loaded = useLoad(() => withEtag(id), [id]);
  const fields = editable.filter((f) => f in FIELDS);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.state !== "ok") return;
    const s = loaded.data.structure as Record<string, unknown>;
    setValues(Object.fromEntries(fields.map((f) => [f, (s[f] as string | null) ?? ""])));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded.state, loaded.data]);

  if (loaded.state === "loading") return <Loading what="Chargement de la structure…" />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { structure, etag } = loaded.data;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const before = structure as Record<string, unknown>;
    const changes = Object.fromEntries(fields
      .filter((f) => (values[f] ?? "").trim() !== ((before[f] as string | null) ?? ""))
      .map((f) => [f, values[f].trim() || null]));
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

  const others = otherErrors(errors, fields);
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
      {fields.length === 0 ? <p className="hint">Pour modifier cette fiche, écrivez à votre fédération.</p> : (
        <form onSubmit={submit} noValidate aria-describedby={`structure-help-${id}`}>
          <p className="hint" id={`structure-help-${id}`}>Vous pouvez modifier les coordonnées ; pour le reste, écrivez à votre fédération.</p>
          {saved && <Notice tone="success">Modifications enregistrées.</Notice>}
          {problem && <div className="notice error" role="alert"><p>{problem.message}</p>
            {others.length > 0 && <ul>{others.map((m) => <li key={m}>{m}</li>)}</ul>}
            {problem.status === 412 && <button type="button" onClick={loaded.reload}>Recharger</button>}</div>}
          {fields.map((key) => (
            <TextField key={key} label={FIELDS[key].label} type={FIELDS[key].type} value={values[key] ?? ""}
              error={errors[key]} autoComplete={FIELDS[key].autoComplete}
              onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
          ))}
          <button type="submit" disabled={busy}>Enregistrer</button>
        </form>
      )}
    </section>
  );
}

export function MyStructure() {
  const mine = useLoad(() => data(registry.GET("/registry/v1/me/structures")), []);
  return (
    <Page title="Ma structure">
      <SpaceNav />
      {mine.state === "loading" && <Loading what="Chargement de vos structures…" />}
      {mine.state === "error" && <ErrorNotice error={mine.error} onRetry={mine.reload} />}
      {mine.state === "ok" && (mine.data.items.length === 0
        ? <Empty>Vous ne coordonnez aucune structure aujourd’hui.</Empty>
        : mine.data.items.map((m) => <StructureForm key={m.structure.id} id={m.structure.id} editable={m.editable_fields} />))}
    </Page>
  );
}
