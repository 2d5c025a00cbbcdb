// My data (GDPR): what each service holds about me, one JSON download per service (GET /<service>/v1/me/export).
import { useState } from "react";
import { data, events, notifications, registry, training } from "../../api/client";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { ErrorNotice } from "../../components/status";

const EXPORTS: { service: string; what: string; load: () => Promise<unknown> }[] = [
  { service: "annuaire", what: "votre fiche, vos rôles, vos structures", load: () => data(registry.GET("/registry/v1/me/export")) },
  { service: "evenements", what: "vos inscriptions et présences", load: () => data(events.GET("/events/v1/me/export")) },
  { service: "formations", what: "vos candidatures, parcours et certificats", load: () => data(training.GET("/training/v1/me/export")) },
  { service: "notifications", what: "vos préférences et les e-mails envoyés", load: () => data(notifications.GET("/notifications/v1/me/export")) },
];

function save(name: string, content: unknown) {
  const blob = new Blob([JSON.stringify(content, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url; a.download = `mes-donnees-${name}.json`; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function MyData() {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const download = async (entry: (typeof EXPORTS)[number]) => {
    setBusy(entry.service);
    setErrors({ ...errors, [entry.service]: undefined });
    try { save(entry.service, await entry.load()); }
    catch (error) { setErrors({ ...errors, [entry.service]: error }); }
    finally { setBusy(null); }
  };
  return (
    <Page title="Mes données" lead="Ce que la plateforme conserve à votre sujet (RGPD), service par service.">
      <SpaceNav />
      <ul className="cards">{EXPORTS.map((entry) => (
        <li key={entry.service} className="card">
          <h2>{entry.service === "annuaire" ? "Annuaire" : entry.service === "evenements" ? "Événements"
            : entry.service === "formations" ? "Formations" : "Notifications"}</h2>
          <p>{entry.what}</p>
          {errors[entry.service] != null && <ErrorNotice error={errors[entry.service]} />}
          <button type="button" disabled={busy === entry.service} onClick={() => download(entry)}>
            Télécharger (JSON)</button>
        </li>
      ))}</ul>
      <p className="hint">Pour faire rectifier ou effacer vos données, écrivez à votre fédération.</p>
    </Page>
  );
}
