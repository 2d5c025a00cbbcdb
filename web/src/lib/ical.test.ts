import { describe, expect, it } from "vitest";
import { eventIcs, federationFeedPath, foldLine, localGroupFeedPath, webcalUrl } from "./ical";

describe("add to calendar", () => {
  it("points at the public feeds of the events API", () => {
    expect(federationFeedPath("apmsl")).toBe("/events/v1/agenda/federations/apmsl.ics");
    expect(localGroupFeedPath("lg 44")).toBe("/events/v1/agenda/local-groups/lg%2044.ics");
    expect(webcalUrl("http://127.0.0.1:8000/events/v1/agenda/federations/apmsl.ics"))
      .toBe("webcal://127.0.0.1:8000/events/v1/agenda/federations/apmsl.ics");
  });

  it("writes one event with the e-mails' UID, in UTC, text escaped", () => {
    const ics = eventIcs({ id: "ev1", title: "Réunion, groupe; Nantes", starts_at: "2026-02-03T14:00:00+01:00",
      ends_at: "2026-02-03T16:00:00+01:00", location: "Maison de santé\nClisson" }, new Date("2026-01-01T00:00:00Z"));
    expect(ics).toContain("UID:ev1@maillage\r\n");
    expect(ics).toContain("DTSTART:20260203T130000Z\r\n");
    expect(ics).toContain("SUMMARY:Réunion\\, groupe\\; Nantes\r\n");
    expect(ics).toContain("LOCATION:Maison de santé\\nClisson\r\n");
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  });

  it("folds long lines at 75 octets without cutting a character", () => {
    const folded = foldLine("SUMMARY:" + "é".repeat(60));
    const lines = folded.split("\r\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.map((l, i) => (i ? l.slice(1) : l)).join("")).toBe("SUMMARY:" + "é".repeat(60));
  });
});
