// What the console learns at start from the server that serves it (/console-config.json): the OpenID
// Connect issuer and client id (the embedded provider's port is only known when `make dev` starts;
// Keycloak's realm under compose), the map's tile URL ("" = no tiles, the plain map only).
export interface ConsoleConfig {
  oidc: { authority: string; client_id: string; scope: string };
  map: { tile_url: string; attribution: string };
}

export const FALLBACK_CONFIG: ConsoleConfig = {
  oidc: { authority: "/auth/realms/maillage", client_id: "maillage-web", scope: "openid email profile" },
  map: { tile_url: "", attribution: "" },
};

/** A relative authority (compose's "/auth/realms/maillage") is on the console's own origin. */
export function absoluteAuthority(authority: string, origin: string): string {
  return new URL(authority, origin).toString().replace(/\/$/, "");
}

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch("/console-config.json", { headers: { Accept: "application/json" } });
    if (!response.ok) return FALLBACK_CONFIG;
    const config = (await response.json()) as Partial<ConsoleConfig>;
    return { oidc: { ...FALLBACK_CONFIG.oidc, ...config.oidc }, map: { ...FALLBACK_CONFIG.map, ...config.map } };
  } catch {
    return FALLBACK_CONFIG;
  }
}
