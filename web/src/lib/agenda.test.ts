import { describe, expect, it } from "vitest";
import { agendaQuery, filtersFromSearch, searchFromFilters, seatsText } from "./agenda";

describe("agenda filters", () => {
  it("round-trip through the URL", () => {
    const search = new URLSearchParams("kind=webinar&format=video&department=44&quand=passes&foo=bar");
    const filters = filtersFromSearch(search);
    expect(filters).toEqual({ kind: "webinar", format: "video", department: "44", when: "past" });
    expect(searchFromFilters(filters).toString()).toBe("kind=webinar&format=video&department=44&quand=passes");
  });

  it("keep a page's fixed filter out of the URL", () => {
    const filters = filtersFromSearch(new URLSearchParams("kind=seminar"), { federation: "apmsl" });
    expect(filters.federation).toBe("apmsl");
    expect(searchFromFilters(filters, { federation: "apmsl" }).toString()).toBe("kind=seminar");
  });

  it("become the agenda API's query, upcoming or past", () => {
    expect(agendaQuery({ when: "upcoming", kind: "webinar", format: "video" }, 1))
      .toEqual({ page: 1, per_page: 20, when: "upcoming", kind: "webinar", format: "video" });
    expect(agendaQuery({ when: "past", local_group_id: "g1" }, 2)).toEqual({ page: 2, per_page: 20, when: "past", local_group_id: "g1" });
  });

  it("say the seats left in French", () => {
    expect(seatsText(3, 20)).toBe("3 places restantes");
    expect(seatsText(1, 20)).toBe("1 place restante");
    expect(seatsText(0, 20)).toMatch(/liste d’attente/);
    expect(seatsText(null, null)).toBe("Places non limitées");
  });
});
