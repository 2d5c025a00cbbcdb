import { describe, expect, it } from "vitest";
import { attendanceSummary, halfDayText } from "./attendance";

describe("attendance in words", () => {
  it("says a half-day", () => {
    expect(halfDayText("2026-03-19:am")).toBe("jeudi 19 mars matin");
    expect(halfDayText("2026-03-19:pm")).toBe("jeudi 19 mars après-midi");
  });
  it("sums up present, absent and not recorded half-days", () => {
    expect(attendanceSummary({ present: ["a", "b"], absent: ["c"], not_recorded: [] }))
      .toBe("2 demi-journées de présence, 1 d’absence");
    expect(attendanceSummary({ present: [], absent: [], not_recorded: ["x", "y"] }))
      .toBe("0 demi-journée de présence, 2 pas encore relevées");
  });
});
