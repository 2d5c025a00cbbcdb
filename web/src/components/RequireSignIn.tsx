import type { ReactNode } from "react";
import { useSession } from "../auth/session";
import { Loading } from "./status";

/** The coordinator space: a visitor is asked to sign in (and comes back here after). */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  if (!session.ready) return <Loading what="Vérification de votre session…" />;
  if (!session.user) {
    return (
      <section className="sign-in-needed">
        <h1>Connexion requise</h1>
        <p>Cette page est réservée aux personnes connectées.</p>
        <button type="button" onClick={() => session.signIn()}>Se connecter</button>
      </section>
    );
  }
  return <>{children}</>;
}
