// Signing in: OpenID Connect authorization code + PKCE (oidc-client-ts) with the configured issuer.
// The tokens stay in sessionStorage (gone with the tab); the clients read the access token from here.
import { User, UserManager, WebStorageStateStore } from "oidc-client-ts";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { data, registry, setTokenSource } from "../api/client";
import type { components } from "../api/schema/registry";
import { absoluteAuthority, type ConsoleConfig } from "../config";

export type Me = components["schemas"]["MeOut"];

export const CALLBACK_PATH = "/connexion/retour";

export function userManager(config: ConsoleConfig, origin = window.location.origin): UserManager {
  return new UserManager({
    authority: absoluteAuthority(config.oidc.authority, origin),
    client_id: config.oidc.client_id,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: "code",
    scope: config.oidc.scope,
    loadUserInfo: false,
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

interface Session {
  manager: UserManager;
  user: User | null;
  me: Me | null;
  ready: boolean;
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  completeSignIn: () => Promise<string>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ config, children }: { config: ConsoleConfig; children: ReactNode }) {
  const manager = useMemo(() => userManager(config), [config]);
  const [user, setUser] = useState<User | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  // The clients get the token before any page renders with the user (children's effects run first).
  const adopt = (next: User | null) => {
    setTokenSource(() => (next && !next.expired ? next.access_token : null));
    setUser(next);
  };

  useEffect(() => {
    let live = true;
    manager.getUser().then((stored) => {
      if (!live) return;
      adopt(stored && !stored.expired ? stored : null);
      if (!stored || stored.expired) setReady(true);
    }).catch(() => setReady(true));
    return () => { live = false; };
  }, [manager]);

  useEffect(() => {
    if (!user) { setMe(null); return; }
    data(registry.GET("/registry/v1/me")).then(setMe).catch(() => setMe(null)).finally(() => setReady(true));
  }, [user]);

  const session: Session = {
    manager, user, me, ready,
    signIn: (returnTo = window.location.pathname + window.location.search) =>
      manager.signinRedirect({ state: { returnTo } }),
    signOut: async () => {
      const endSession = (await manager.metadataService.getMetadata().catch(() => null))?.end_session_endpoint;
      if (endSession) await manager.signoutRedirect();
      else { await manager.removeUser(); adopt(null); }
    },
    completeSignIn: async () => {
      const signedIn = await manager.signinRedirectCallback();
      adopt(signedIn);
      const state = signedIn.state as { returnTo?: string } | undefined;
      return safeReturnPath(state?.returnTo);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Only a path of the console itself: never another site (an open redirect). */
export function safeReturnPath(path: string | undefined | null): string {
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith(CALLBACK_PATH)) return "/mon-espace";
  return path;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
