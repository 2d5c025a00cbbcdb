import { describe, expect, it } from "vitest";
import { formatDate, formatRange, todayInParis } from "./dates";

describe("dates in French", () => {
  it("says the day and the hours of a meeting in Paris time", () => {
    // 13:00 UTC in February is 14:00 in Paris
    expect(formatRange("2026-02-03T13:00:00+00:00", "2026-02-03T15:30:00+00:00"))
      .toBe("mardi 3 février 2026, de 14:00 à 16:30");
  });

  it("follows summer time", () => {
    expect(formatRange("2026-06-11T07:30:00Z", "2026-06-11T15:00:00Z")).toBe("jeudi 11 juin 2026, de 09:30 à 17:00");
  });

  it("says both days of an event over several days", () => {
    expect(formatRange("2026-03-19T08:00:00Z", "2026-03-20T16:00:00Z"))
      .toBe("du jeudi 19 mars 2026, 09:00, au vendredi 20 mars 2026, 17:00");
  });

  it("writes a plain date", () => {
    expect(formatDate("2025-06-30")).toBe("30 juin 2025");
  });

  it("takes today in Paris, not in UTC", () => {
    expect(todayInParis(new Date("2026-01-31T23:30:00Z"))).toBe("2026-02-01");
  });
});
