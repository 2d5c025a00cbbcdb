// My data (GDPR): what the registry holds about me, shown and downloadable as JSON.
import { data, registry } from "../../api/client";
import { useSession } from "../../auth/session";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";

export function MyData() {
  const { me } = useSession();
  const personId = me?.person?.id ?? null;
  const exported = useLoad(async () => (personId
    ? data(registry.GET("/registry/v1/people/{person_id}/export", { params: { path: { person_id: personId } } })) : null),
  [personId]);
  const download = () => {
    if (exported.state !== "ok" || !exported.data) return;
    const blob = new Blob([JSON.stringify(exported.data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url; a.download = "mes-donnees-maillage.json"; a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Page title="Mes données" lead="Ce que l’annuaire de votre fédération conserve à votre sujet (RGPD).">
      <SpaceNav />
      {!personId && <Empty>Votre compte n’est rattaché à aucune personne de l’annuaire.</Empty>}
      {exported.state === "loading" && personId && <Loading />}
      {exported.state === "error" && <ErrorNotice error={exported.error} onRetry={exported.reload} />}
      {exported.state === "ok" && exported.data && (
        <>
          <dl className="facts">
            <dt>Nom</dt><dd>{exported.data.person.first_name} {exported.data.person.last_name}</dd>
            <dt>E-mail</dt><dd>{exported.data.person.email ?? "—"}</dd>
            <dt>Rôles</dt><dd>{(exported.data.person.roles ?? []).length}</dd>
            <dt>Groupes locaux dont vous êtes contact</dt><dd>{exported.data.local_groups_contact_of.length}</dd>
          </dl>
          <button type="button" onClick={download}>Télécharger mes données (JSON)</button>
          <p className="hint">Pour faire rectifier ou effacer vos données, écrivez à votre fédération.</p>
        </>
      )}
    </Page>
  );
}
