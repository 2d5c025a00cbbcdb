// The agenda's filters as URL query parameters (so a filtered agenda can be shared or bookmarked) and
// as the events API's query.
import { todayInParis } from "./dates";

export interface AgendaFilters {
  federation?: string;
  kind?: string;
  format?: string;
  department?: string;
  local_group_id?: string;
  when: "upcoming" | "past";
}

const KEYS = ["federation", "kind", "format", "department", "local_group_id"] as const;
// What GET /events/v1/agenda filters on; `format` is filtered here until the API takes it (API_NEEDS.md #1).
const SERVER_KEYS = ["federation", "kind", "department", "local_group_id"] as const;

export function filtersFromSearch(search: URLSearchParams, fixed: Partial<AgendaFilters> = {}): AgendaFilters {
  const filters: AgendaFilters = { when: search.get("quand") === "passes" ? "past" : "upcoming" };
  for (const key of KEYS) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  return { ...filters, ...fixed };
}

export function searchFromFilters(filters: AgendaFilters, fixed: Partial<AgendaFilters> = {}): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value && !(key in fixed)) search.set(key, value);
  }
  if (filters.when === "past") search.set("quand", "passes");
  return search;
}

/** The query of GET /events/v1/agenda: upcoming from today, past up to yesterday. */
export function agendaQuery(filters: AgendaFilters, page: number, now: Date = new Date()) {
  const today = todayInParis(now);
  const query: Record<string, string | number> = { page, per_page: filters.format ? 100 : 20 };
  for (const key of SERVER_KEYS) {
    const value = filters[key];
    if (value) query[key] = value;
  }
  if (filters.when === "upcoming") query.from = today;
  else {
    const yesterday = new Date(`${today}T12:00:00Z`);
    yesterday.setUTCDate(yesterday.getUTCDate() - 1);
    query.to = yesterday.toISOString().slice(0, 10);
  }
  return query;
}

interface Dated { starts_at: string }

/** Upcoming first (soonest first); past ones most recent first — whatever order the API sent. */
export function orderForAgenda<T extends Dated>(items: T[], when: AgendaFilters["when"]): T[] {
  const sorted = [...items].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  return when === "upcoming" ? sorted : sorted.reverse();
}

/** « 3 places restantes », « Complet — liste d’attente », or nothing when there is no limit. */
export function seatsText(seats: number | null | undefined, capacity: number | null | undefined): string {
  if (capacity == null || seats == null) return "Places non limitées";
  if (seats <= 0) return "Complet — inscription sur liste d’attente";
  return seats === 1 ? "1 place restante" : `${seats} places restantes`;
}

/** The filters the API does not apply yet. */
export function matchesClientFilters(item: { format?: string }, filters: AgendaFilters): boolean {
  return !filters.format || item.format === filters.format;
}
