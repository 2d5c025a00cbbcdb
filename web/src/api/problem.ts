// problem+json (RFC 9457) as the services send it: {type, title, status, detail, errors}.
// `errors` holds messages per field ("name", "venue.city"…; "_body"/"_query" for the whole request),
// each a string, a list of strings, or nested objects (marshmallow's shape).

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, unknown>;
}

export type FieldErrors = Record<string, string>;

/** Flattens `errors` to one French-readable message per dotted field path. */
export function fieldErrors(problem: Problem | null | undefined): FieldErrors {
  const out: FieldErrors = {};
  const walk = (value: unknown, path: string) => {
    if (value == null) return;
    if (typeof value === "string") {
      out[path] = out[path] ? `${out[path]} ${value}` : value;
    } else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === "string")) walk(value.join(" "), path);
      else value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
    } else if (typeof value === "object") {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) walk(v, path ? `${path}.${key}` : key);
    }
  };
  walk(problem?.errors, "");
  return out;
}

const STATUS_WORDS: Record<number, string> = {
  400: "La demande est mal formée.",
  401: "Votre session a expiré : reconnectez-vous.",
  403: "Vous n’avez pas le droit de faire cela.",
  404: "Introuvable.",
  409: "Ce n’est pas possible dans l’état actuel.",
  412: "Modifié par quelqu’un d’autre entre-temps : rechargez la page.",
  413: "Le contenu envoyé est trop volumineux.",
  422: "Certains champs sont à corriger.",
  503: "Le service est momentanément indisponible : réessayez dans un instant.",
};

/** One sentence for the top of a form or a page: the problem's detail, else a French word for its status. */
export function problemMessage(problem: Problem | null | undefined, status?: number): string {
  const code = problem?.status ?? status ?? 0;
  if (code === 412) return STATUS_WORDS[412];
  // Field messages are shown next to their fields: the sentence on top is the console's own (the API's
  // detail for a 422 talks to developers: "voir `errors`").
  if (code === 422 && Object.keys(fieldErrors(problem)).length) return STATUS_WORDS[422];
  if (problem?.detail) return problem.detail;
  return STATUS_WORDS[code] ?? "Une erreur est survenue. Réessayez plus tard.";
}

/** Messages that belong to no field shown by the form (so that none is lost). */
export function otherErrors(errors: FieldErrors, shown: string[]): string[] {
  return Object.entries(errors)
    .filter(([field]) => !shown.some((s) => field === s || field.startsWith(`${s}.`)))
    .map(([field, message]) => (field.startsWith("_") ? message : `${field} : ${message}`));
}

export class ApiError extends Error {
  constructor(public status: number, public problem: Problem | null) {
    super(problemMessage(problem, status));
  }
  get fields(): FieldErrors {
    return fieldErrors(this.problem);
  }
}
