import { describe, expect, it } from "vitest";
import { agendaQuery, filtersFromSearch, matchesClientFilters, orderForAgenda, searchFromFilters, seatsText } from "./agenda";

describe("agenda filters", () => {
  it("round-trips through the URL", () => {
    const search = new URLSearchParams("kind=webinar&format=video&department=44&quand=passes&foo=bar");
    const filters = filtersFromSearch(search);
    expect(filters).toEqual({ kind: "webinar", format: "video", department: "44", when: "past" });
    expect(searchFromFilters(filters).toString()).toBe("kind=webinar&format=video&department=44&quand=passes");
  });

  it("keeps a page's fixed filter out of the URL", () => {
    const filters = filtersFromSearch(new URLSearchParams("kind=seminar"), { federation: "apmsl" });
    expect(filters.federation).toBe("apmsl");
    expect(searchFromFilters(filters, { federation: "apmsl" }).toString()).toBe("kind=seminar");
  });

  it("asks upcoming events from today (Paris) and past ones up to yesterday", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    expect(agendaQuery({ when: "upcoming", kind: "webinar", format: "video" }, 1, now))
      .toEqual({ page: 1, per_page: 100, kind: "webinar", from: "2026-03-01" });
    expect(agendaQuery({ when: "past" }, 2, now)).toEqual({ page: 2, per_page: 20, to: "2026-02-28" });
  });

  it("filters the format itself until the API does", () => {
    expect(matchesClientFilters({ format: "video" }, { when: "upcoming", format: "video" })).toBe(true);
    expect(matchesClientFilters({ format: "hybrid" }, { when: "upcoming", format: "video" })).toBe(false);
    expect(matchesClientFilters({ format: "hybrid" }, { when: "upcoming" })).toBe(true);
  });

  it("puts the soonest first, and the latest first for past events", () => {
    const items = [{ starts_at: "2026-05-01T10:00:00Z" }, { starts_at: "2026-03-01T10:00:00Z" }];
    expect(orderForAgenda(items, "upcoming")[0].starts_at).toBe("2026-03-01T10:00:00Z");
    expect(orderForAgenda(items, "past")[0].starts_at).toBe("2026-05-01T10:00:00Z");
  });

  it("says the seats left in French", () => {
    expect(seatsText(3, 20)).toBe("3 places restantes");
    expect(seatsText(1, 20)).toBe("1 place restante");
    expect(seatsText(0, 20)).toMatch(/liste d’attente/);
    expect(seatsText(null, null)).toBe("Places non limitées");
  });
});
