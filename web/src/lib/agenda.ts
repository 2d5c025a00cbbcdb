// The agenda's filters as URL query parameters (so a filtered agenda can be shared or bookmarked) and
// as the query of GET /events/v1/agenda (which sorts: upcoming soonest first, past latest first).
export interface AgendaFilters {
  federation?: string;
  kind?: string;
  format?: string;
  department?: string;
  local_group_id?: string;
  when: "upcoming" | "past";
}

const KEYS = ["federation", "kind", "format", "department", "local_group_id"] as const;

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

export function agendaQuery(filters: AgendaFilters, page: number) {
  const query: Record<string, string | number> = { page, per_page: 20, when: filters.when };
  for (const key of KEYS) {
    const value = filters[key];
    if (value) query[key] = value;
  }
  return query;
}

/** « 3 places restantes », « Complet — liste d’attente », or that there is no limit. */
export function seatsText(seats: number | null | undefined, capacity: number | null | undefined): string {
  if (capacity == null || seats == null) return "Places non limitées";
  if (seats <= 0) return "Complet — inscription sur liste d’attente";
  return seats === 1 ? "1 place restante" : `${seats} places restantes`;
}
