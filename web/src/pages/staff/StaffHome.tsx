import { Page } from "../../components/Layout";

/** The back-office's door (issue 15 fills it: registry, events, training, notifications, activity report). */
export function StaffHome() {
  return (
    <Page title="Gestion">
      <p>L’espace de gestion de la fédération (structures, événements, formations, rapport d’activité)
        arrive prochainement dans cette console.</p>
    </Page>
  );
}
