import { describe, expect, it } from "vitest";
import { webcalUrl } from "./ical";

describe("add to calendar", () => {
  it("offers the feed as a subscription", () => {
    expect(webcalUrl("http://127.0.0.1:8000/events/v1/agenda/federations/apmsl.ics"))
      .toBe("webcal://127.0.0.1:8000/events/v1/agenda/federations/apmsl.ics");
    expect(webcalUrl("https://maillage.example.org/x.ics")).toBe("webcal://maillage.example.org/x.ics");
  });
});
