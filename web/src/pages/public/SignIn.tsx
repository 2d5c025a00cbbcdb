import { useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { safeReturnPath, useSession } from "../../auth/session";
import { Page } from "../../components/Layout";
import { ErrorNotice, Loading } from "../../components/status";

/** /connexion?retour=/path: straight to the identity provider. */
export function SignIn() {
  const session = useSession();
  const [search] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    session.signIn(safeReturnPath(search.get("retour"))).catch(() =>
      setError(new Error("Le service de connexion ne répond pas. Réessayez dans un instant.")));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <Page title="Connexion">{error ? <ErrorNotice error={error} /> : <Loading what="Redirection vers la connexion…" />}</Page>;
}

/** The OpenID Connect redirect URI: exchanges the code (PKCE) and goes back where the person was. */
export function SignInCallback() {
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the code can be exchanged once (StrictMode runs effects twice)
    started.current = true;
    session.completeSignIn().then((path) => navigate(path, { replace: true }))
      .catch(() => setError(new Error("La connexion n’a pas abouti. Réessayez.")));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <Page title="Connexion">{error ? <ErrorNotice error={error} /> : <Loading what="Connexion en cours…" />}</Page>;
}
