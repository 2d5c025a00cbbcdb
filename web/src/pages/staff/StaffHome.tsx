// The staff back-office (issue 15), under /gestion: registry, events, training, notifications and the
// yearly activity report, for people whose roles include staff or admin (national people read).
import { Link, Route, Routes } from "react-router-dom";
import { Page } from "../../components/Layout";
import { Loading } from "../../components/status";
import { StaffMenu } from "../../components/staff/ui";
import { useSession } from "../../auth/session";
import { isStaff } from "../../routes/navigation";
import { CheckIn } from "./CheckIn";
import { CohortAdmin, TrainingHome } from "./Training";
import { EventAdmin, EventList, NewEvent } from "./Events";
import { LocalGroupAdmin, LocalGroupList, Territories } from "./LocalGroups";
import { Deliveries, Templates, Webhooks } from "./Notifications";
import { PersonAdmin, PersonList } from "./People";
import { ReportChooser, ReportPage } from "./Report";
import { StructureAdmin, StructureList, NewStructure } from "./Structures";

function Dashboard() {
  const session = useSession();
  const federation = session.me?.federation ?? "";
  const year = new Date().getFullYear();
  return (
    <Page title="Gestion" lead="L’espace de gestion de la fédération.">
      <ul className="grid2 plain">
        <li className="card"><h2><Link to="/gestion/structures">Structures</Link></h2>
          <p>Rechercher, créer, modifier les structures, leurs statuts et leurs dates ; exports CSV et XLSX.</p></li>
        <li className="card"><h2><Link to="/gestion/personnes">Personnes et rôles</Link></h2>
          <p>Coordinateurs·rices, leaders, rôles ; export et effacement RGPD.</p></li>
        <li className="card"><h2><Link to="/gestion/groupes">Groupes locaux</Link></h2>
          <p>Les groupes et leurs structures membres, les territoires.</p></li>
        <li className="card"><h2><Link to="/gestion/evenements">Événements</Link></h2>
          <p>Créer à partir d’un modèle, publier et inviter, inscriptions, émargement, exports.</p></li>
        <li className="card"><h2><Link to="/gestion/formations">Formations PACTE</Link></h2>
          <p>Programmes, cohortes, comité de sélection, séminaires, validation, certificats.</p></li>
        <li className="card"><h2><Link to="/gestion/notifications">Notifications</Link></h2>
          <p>Journal des envois, modèles, rappels, webhooks.</p></li>
        {federation && (
          <li className="card"><h2><Link to={`/gestion/rapport/${federation}/${year - 1}`}>Rapport d’activité {year - 1}</Link></h2>
            <p>Les chiffres clés de l’année, en graphiques, en XLSX et en PDF.</p></li>
        )}
      </ul>
    </Page>
  );
}

export function StaffHome() {
  const session = useSession();
  if (!session.ready || (session.user && !session.me)) return <Loading what="Vérification de vos droits…" />;
  const national = !!session.me?.roles?.includes("national");
  if (!isStaff(session.me) && !national) {
    return (
      <Page title="Accès réservé">
        <p>L’espace de gestion est réservé à l’équipe des fédérations.</p>
        <p><Link to="/mon-espace">Aller à mon espace</Link></p>
      </Page>
    );
  }
  return (
    <div className="staff">
      <StaffMenu />
      <div className="staff-main">
        <Routes>
          <Route index element={<Dashboard />} />
          <Route path="structures" element={<StructureList />} />
          <Route path="structures/nouvelle" element={<NewStructure />} />
          <Route path="structures/:structureId" element={<StructureAdmin />} />
          <Route path="personnes" element={<PersonList />} />
          <Route path="personnes/:personId" element={<PersonAdmin />} />
          <Route path="groupes" element={<LocalGroupList />} />
          <Route path="groupes/:groupId" element={<LocalGroupAdmin />} />
          <Route path="territoires" element={<Territories />} />
          <Route path="evenements" element={<EventList />} />
          <Route path="evenements/nouveau" element={<NewEvent />} />
          <Route path="evenements/:eventId" element={<EventAdmin />} />
          <Route path="evenements/:eventId/emargement" element={<CheckIn />} />
          <Route path="formations" element={<TrainingHome />} />
          <Route path="cohortes/:cohortId" element={<CohortAdmin />} />
          <Route path="notifications" element={<Deliveries />} />
          <Route path="notifications/modeles" element={<Templates />} />
          <Route path="notifications/webhooks" element={<Webhooks />} />
          <Route path="rapport" element={<ReportChooser />} />
          <Route path="rapport/:federation/:year" element={<ReportPage />} />
          <Route path="*" element={<Page title="Page introuvable"><p><Link to="/gestion">Retour à la gestion</Link></p></Page>} />
        </Routes>
      </div>
    </div>
  );
}
