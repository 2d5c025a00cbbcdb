// The PACTE selection committee: each member's score (0–20), the average, a ranking to decide from.
export interface ScoredApplication {
  id: string;
  status: string;
  score?: number | null;
  scores?: { member?: string | null; score?: number | null }[] | null;
  submitted_at?: string | null;
}

export function averageScore(app: ScoredApplication): number | null {
  const values = (app.scores ?? []).map((s) => s.score).filter((s): s is number => typeof s === "number");
  if (!values.length) return app.score ?? null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

/** Applications still in play first, best average first, then the earliest submitted. */
export function rankApplications<T extends ScoredApplication>(apps: T[]): T[] {
  const open = (a: T) => (a.status === "withdrawn" || a.status === "rejected" ? 1 : 0);
  return [...apps].sort((a, b) => open(a) - open(b) ||
    (averageScore(b) ?? -1) - (averageScore(a) ?? -1) ||
    (a.submitted_at ?? "").localeCompare(b.submitted_at ?? ""));
}

/** A score typed in a French form: « 14,5 » or « 14.5 », 0 to 20, else null. */
export function parseScore(text: string): number | null {
  const value = Number(text.trim().replace(",", "."));
  if (!text.trim() || Number.isNaN(value) || value < 0 || value > 20) return null;
  return value;
}

export function formatScore(value: number | null | undefined): string {
  if (value == null) return "—";
  return new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(value) + " / 20";
}

/** Half-days of a seminar as « jeudi 12 mars, matin ». Codes: "2026-03-12:am" | "2026-03-12:pm" (or AM/PM). */
export function halfDayLabel(code: string): string {
  const [day, part] = code.split(/[:_ T]/);
  const [y, m, d] = (day ?? "").split("-").map(Number);
  if (!y || !m || !d) return code;
  const date = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
  const p = (part ?? "").toLowerCase();
  return `${date}, ${p.startsWith("a") || p === "morning" ? "matin" : p.startsWith("p") || p === "afternoon" ? "après-midi" : p}`;
}
