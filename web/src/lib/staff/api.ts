// What the back-office adds to the typed clients: the ETag of what it edits (sent back in If-Match),
// and files (CSV, XLSX, PDF) fetched with the access token.
import { answered } from "../../api/client";
import { ApiError } from "../../api/problem";

export interface Tagged<T> { data: T; etag: string | null }

export async function withEtag<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Tagged<T>> {
  const { data, response } = await answered(call);
  return { data, etag: response.headers.get("ETag") };
}

/** 412: someone else saved the resource since it was loaded. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

/** The If-Match header for an ETag, or for a resource's version when the answer carried none. */
export function ifMatch(etag: string | null | undefined, version?: number): Record<string, string> {
  if (etag) return { "If-Match": etag };
  if (version != null) return { "If-Match": `"${version}"` };
  return {};
}
