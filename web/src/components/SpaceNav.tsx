import { NavLink } from "react-router-dom";

/** The coordinator space's sub-menu. */
export function SpaceNav() {
  const items: [string, string][] = [["/mon-espace", "Mes événements"], ["/mon-espace/structure", "Ma structure"],
    ["/mon-espace/formations", "Mes formations"], ["/mon-espace/e-mails", "Mes e-mails"], ["/preferences", "Mes préférences"], ["/mes-donnees", "Mes données"]];
  return (
    <nav aria-label="Mon espace" className="space-nav">
      <ul>{items.map(([to, text]) => <li key={to}><NavLink to={to} end>{text}</NavLink></li>)}</ul>
    </nav>
  );
}
