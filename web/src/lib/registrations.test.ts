import { describe, expect, it } from "vitest";
import { hasSeat, isActive, registrationText, waitlistText } from "./registrations";

describe("my registration, in words", () => {
  it("says the waiting-list rank", () => {
    expect(waitlistText(1)).toBe("Vous êtes 1ʳᵉ sur la liste d’attente.");
    expect(waitlistText(3)).toBe("Vous êtes 3ᵉ sur la liste d’attente.");
    expect(registrationText({ status: "waitlisted", waitlist_position: 2 }))
      .toBe("Sur liste d’attente — Vous êtes 2ᵉ sur la liste d’attente.");
  });

  it("only a seat shows the place; a waiting list is active but seatless", () => {
    expect(hasSeat({ status: "registered" })).toBe(true);
    expect(hasSeat({ status: "waitlisted" })).toBe(false);
    expect(isActive({ status: "waitlisted" })).toBe(true);
    expect(isActive({ status: "cancelled" })).toBe(false);
  });

  it("says a decline, and what a past event left", () => {
    expect(registrationText(null, "2026-03-01T10:00:00Z")).toMatch(/ne pourrez pas venir/);
    expect(registrationText({ status: "cancelled" }, "2026-03-01T10:00:00Z")).toMatch(/ne pourrez pas venir/);
    expect(registrationText({ status: "attended" })).toBe("Présent·e");
    expect(registrationText(null)).toBe("Pas inscrit·e");
  });
});
