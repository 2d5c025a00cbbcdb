// The typed clients of the four services (openapi-fetch over the generated types), on the gateway paths
// of the console's own origin. A signed-in person's access token goes in every request.
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, type Problem } from "./problem";
import type { paths as EventsPaths } from "./schema/events";
import type { paths as NotificationsPaths } from "./schema/notifications";
import type { paths as RegistryPaths } from "./schema/registry";
import type { paths as TrainingPaths } from "./schema/training";

let accessToken: () => string | null = () => null;

/** The auth module tells the clients where the current token is. */
export function setTokenSource(source: () => string | null): void {
  accessToken = source;
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

const baseUrl = typeof window === "undefined" ? "http://localhost" : window.location.origin;

function client<Paths extends {}>() {
  const c = createClient<Paths>({ baseUrl });
  c.use(bearer);
  return c;
}

export const registry = client<RegistryPaths>();
export const events = client<EventsPaths>();
export const training = client<TrainingPaths>();
export const notifications = client<NotificationsPaths>();

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** A successful openapi-fetch answer (its data and response), or an ApiError carrying its problem+json. */
export async function answered<T>(call: Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
  let result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { detail: "Le serveur ne répond pas : vérifiez votre connexion et réessayez." });
  }
  if (result.error !== undefined || !result.response.ok) {
    const problem = (typeof result.error === "object" ? result.error : null) as Problem | null;
    throw new ApiError(result.response.status, problem);
  }
  return { data: result.data as T, response: result.response };
}

/** The data of an openapi-fetch answer, or an ApiError carrying its problem+json. */
export async function data<T>(call: Promise<Answer<T>>): Promise<T> {
  return (await answered(call)).data;
}
