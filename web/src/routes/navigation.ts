// The main menu: public pages, then the coordinator space once signed in. Part 2 (the staff back-office,
// /gestion/…) adds its entry here for people whose roles include staff or admin (see routes/index.tsx).
import type { Me } from "../auth/session";

export interface NavItem { to: string; label: string; end?: boolean }

export function isStaff(me: Me | null): boolean {
  return !!me?.roles?.some((role) => role === "staff" || role === "admin");
}

export function navigation(me: Me | null, signedIn: boolean): NavItem[] {
  const items: NavItem[] = [
    { to: "/agenda", label: "Agenda" },
    { to: "/carte", label: "Carte des structures" },
    { to: "/certificats", label: "Vérifier un certificat" },
  ];
  if (signedIn) {
    items.push({ to: "/mon-espace", label: "Mon espace" }, { to: "/preferences", label: "Mes préférences" });
  }
  if (isStaff(me)) items.push({ to: "/gestion", label: "Gestion" });
  return items;
}
