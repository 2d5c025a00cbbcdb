// Every page of the console (web/ROUTES.md is the list other services link to).
// Part 2 (issue 15) mounts the staff back-office under /gestion: add its routes to `staffRoutes`
// (pages in src/pages/staff/), guarded by <RequireStaff> like the coordinator space is by <RequireSignIn>.
import type { RouteObject } from "react-router-dom";
import { Layout } from "../components/Layout";
import { RequireSignIn } from "../components/RequireSignIn";
import { MyData } from "../pages/me/MyData";
import { MyEmails } from "../pages/me/MyEmails";
import { MyEvents } from "../pages/me/MyEvents";
import { MyStructure } from "../pages/me/MyStructure";
import { MyTrainings } from "../pages/me/MyTrainings";
import { Preferences } from "../pages/me/Preferences";
import { AgendaPage } from "../pages/public/AgendaPage";
import { CertificatePage } from "../pages/public/CertificatePage";
import { EventPage } from "../pages/public/EventPage";
import { MapPage } from "../pages/public/MapPage";
import { NotFound } from "../pages/public/NotFound";
import { SignIn, SignInCallback } from "../pages/public/SignIn";
import { StaffHome } from "../pages/staff/StaffHome";
import { Unsubscribe } from "../pages/public/Unsubscribe";

const signedIn = (element: React.ReactNode) => <RequireSignIn>{element}</RequireSignIn>;

export const publicRoutes: RouteObject[] = [
  { index: true, element: <AgendaPage /> },
  { path: "agenda", element: <AgendaPage /> },
  { path: "agenda/:federation", element: <AgendaPage /> },
  { path: "groupes/:groupId", element: <AgendaPage /> },
  { path: "evenements/:eventId", element: <EventPage /> },
  { path: "carte", element: <MapPage /> },
  { path: "certificats", element: <CertificatePage /> },
  { path: "certificats/:code", element: <CertificatePage /> },
  { path: "desinscription", element: <Unsubscribe /> },
  { path: "connexion", element: <SignIn /> },
  { path: "connexion/retour", element: <SignInCallback /> },
];

export const coordinatorRoutes: RouteObject[] = [
  { path: "mon-espace", element: signedIn(<MyEvents />) },
  { path: "mon-espace/structure", element: signedIn(<MyStructure />) },
  { path: "mon-espace/formations", element: signedIn(<MyTrainings />) },
  { path: "mon-espace/e-mails", element: signedIn(<MyEmails />) },
  { path: "preferences", element: signedIn(<Preferences />) },
  { path: "mes-donnees", element: signedIn(<MyData />) },
];

export const staffRoutes: RouteObject[] = [
  { path: "gestion/*", element: signedIn(<StaffHome />) },
];

export const routes: RouteObject[] = [
  { path: "/", element: <Layout />,
    children: [...publicRoutes, ...coordinatorRoutes, ...staffRoutes, { path: "*", element: <NotFound /> }] },
];
