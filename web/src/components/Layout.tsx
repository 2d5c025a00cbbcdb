import { useEffect, useRef, type ReactNode } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router-dom";
import { useSession } from "../auth/session";
import { navigation } from "../routes/navigation";

/** Each page names itself: the tab's title and its h1 say the same. */
export function usePageTitle(title: string) {
  useEffect(() => { document.title = `${title} — Maillage`; }, [title]);
}

export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  usePageTitle(title);
  return (
    <>
      <h1>{title}</h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </>
  );
}

export function Layout() {
  const session = useSession();
  const location = useLocation();
  // After a navigation inside the app, focus goes to the new page's content (as a page load would put a
  // screen reader at the top); not on the first load, where the skip link must stay the first Tab stop.
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = "";
    document.getElementById("contenu")?.focus({ preventScroll: true });
  }, [location.pathname]);
  const signedIn = !!session.user;
  const name = session.me?.person ? `${session.me.person.first_name ?? ""} ${session.me.person.last_name ?? ""}`.trim()
    : session.user?.profile.name;
  return (
    <>
      <a className="skip" href="#contenu">Aller au contenu</a>
      <header className="site">
        <Link to="/" className="brand">Maillage</Link>
        <nav aria-label="Navigation principale">
          <ul>
            {navigation(session.me, signedIn).map((item) => (
              <li key={item.to}><NavLink to={item.to} end={item.end}>{item.label}</NavLink></li>
            ))}
          </ul>
        </nav>
        <div className="account">
          {signedIn ? (
            <>
              <span className="who">{name}</span>
              <button type="button" className="link" onClick={() => session.signOut()}>Se déconnecter</button>
            </>
          ) : (
            <button type="button" onClick={() => session.signIn()}>Se connecter</button>
          )}
        </div>
      </header>
      <main id="contenu" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site">
        <p>Maillage — plateforme des fédérations régionales des maisons et pôles de santé.
          {" "}<a href="/api">API</a></p>
      </footer>
    </>
  );
}
