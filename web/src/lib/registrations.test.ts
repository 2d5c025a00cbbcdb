import { describe, expect, it } from "vitest";
import { canCancel, currentRegistration, splitByTime, waitlistText } from "./registrations";

const event = (starts: string, ends: string) => ({ starts_at: starts, ends_at: ends, status: "published" });

describe("my registrations", () => {
  it("takes the active registration of an event over an older cancelled one", () => {
    const mine = [
      { id: "r1", event_id: "e1", status: "cancelled" },
      { id: "r2", event_id: "e1", status: "waitlisted", waitlist_position: 2 },
      { id: "r3", event_id: "e2", status: "registered" },
    ];
    expect(currentRegistration(mine, "e1")?.id).toBe("r2");
    expect(currentRegistration(mine, "e3")).toBeNull();
  });

  it("lets one cancel before the start only, an active registration only", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const future = event("2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z");
    expect(canCancel({ id: "r", event_id: "e", status: "registered", event: future }, now)).toBe(true);
    expect(canCancel({ id: "r", event_id: "e", status: "cancelled", event: future }, now)).toBe(false);
    expect(canCancel({ id: "r", event_id: "e", status: "registered",
      event: event("2026-02-01T10:00:00Z", "2026-02-01T12:00:00Z") }, now)).toBe(false);
  });

  it("says the waiting-list rank", () => {
    expect(waitlistText(1)).toBe("Vous êtes 1ʳᵉ sur la liste d’attente.");
    expect(waitlistText(3)).toBe("Vous êtes 3ᵉ sur la liste d’attente.");
  });

  it("splits upcoming (soonest first) from past (latest first)", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const items = [
      { id: "a", event_id: "1", status: "registered", event: event("2026-01-01T10:00:00Z", "2026-01-01T12:00:00Z") },
      { id: "b", event_id: "2", status: "registered", event: event("2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z") },
      { id: "c", event_id: "3", status: "registered", event: event("2026-03-05T10:00:00Z", "2026-03-05T12:00:00Z") },
      { id: "d", event_id: "4", status: "attended", event: event("2026-02-01T10:00:00Z", "2026-02-01T12:00:00Z") },
    ];
    const { upcoming, past } = splitByTime(items, now);
    expect(upcoming.map((r) => r.id)).toEqual(["c", "b"]);
    expect(past.map((r) => r.id)).toEqual(["d", "a"]);
  });
});
