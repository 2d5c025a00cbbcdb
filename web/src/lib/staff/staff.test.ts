import { describe, expect, it } from "vitest";
import { checkinCounts, fold, searchRegistrants } from "./checkin";
import { averageScore, formatScore, halfDayLabel, parseScore, rankApplications } from "./committee";
import { filenameFrom, queryString } from "./files";
import { goNoGo } from "./goNoGo";
import { formatFigure, participation, columns, isCountMap } from "./report";
import { EVENT_TEMPLATES, addMinutes, eventFromTemplate } from "./templates";
import { ifMatch } from "./api";

const now = new Date("2026-12-02T10:00:00Z");
const meeting = { status: "published", starts_at: "2026-12-20T13:00:00Z", min_participants: 4,
  minimum_deadline: "2026-12-13T13:00:00Z", seats: { taken: 1, awaiting: 0 } };

describe("go / no-go", () => {
  it("says how many are missing before the deadline", () => {
    const v = goNoGo(meeting, now);
    expect(v.state).toBe("watch");
    expect(v.missing).toBe(3);
    expect(v.text).toContain("il manque 3 participant·es d’ici le dimanche 13 décembre 2026");
  });
  it("is a go once the minimum is reached", () => {
    expect(goNoGo({ ...meeting, seats: { taken: 4 } }, now).state).toBe("go");
  });
  it("is a no-go after the deadline without the minimum, proposing the cancellation", () => {
    const v = goNoGo(meeting, new Date("2026-12-14T00:00:00Z"));
    expect(v.state).toBe("no_go");
    expect(v.text).toContain("faute de participants");
  });
  it("has nothing to say without a minimum, or once the event is over", () => {
    expect(goNoGo({ ...meeting, min_participants: null }, now).state).toBe("none");
    expect(goNoGo({ ...meeting, status: "cancelled" }, now).state).toBe("closed");
  });
  it("falls back on the start when there is no deadline", () => {
    expect(goNoGo({ ...meeting, minimum_deadline: null }, new Date("2026-12-21T00:00:00Z")).state).toBe("no_go");
  });
});

describe("event templates", () => {
  it("a local group meeting invites its group's coordinators, with its minimum a week ahead", () => {
    const body = eventFromTemplate(EVENT_TEMPLATES.local_group_meeting, { date: "2026-12-20", localGroupId: "apmsl-44-est",
      title: "Rencontre 44 est", venue: { city: "Nantes", name: "", address: null, postal_code: null } });
    expect(body).toMatchObject({
      kind: "local_group_meeting", title: "Rencontre 44 est", format: "in_person", timezone: "Europe/Paris",
      starts_at: "2026-12-20T14:00:00", ends_at: "2026-12-20T16:30:00", minimum_deadline: "2026-12-13T14:00:00",
      local_group_id: "apmsl-44-est", audience: { local_group_ids: ["apmsl-44-est"], roles: ["coordinator", "leader"] },
      venue: { city: "Nantes" }, min_participants: 4,
    });
    expect(body.video_link).toBeUndefined();
  });
  it("a webinar is online: no venue, a video link, no minimum", () => {
    const body = eventFromTemplate(EVENT_TEMPLATES.webinar, { date: "2027-01-15", start: "18:00", videoLink: "https://visio.example/x",
      venue: { city: "Nantes" } });
    expect(body.venue).toBeUndefined();
    expect(body.video_link).toBe("https://visio.example/x");
    expect(body.minimum_deadline).toBeUndefined();
    expect(body.ends_at).toBe("2027-01-15T19:00:00");
  });
  it("adds minutes across midnight and month ends", () => {
    expect(addMinutes("2026-12-31T23:30", 45)).toBe("2027-01-01T00:15");
    expect(addMinutes("2026-03-01T09:00", -24 * 60)).toBe("2026-02-28T09:00");
  });
  it("has a template for every kind staff create", () => {
    expect(Object.keys(EVENT_TEMPLATES).sort()).toEqual(
      ["facilitation", "local_group_meeting", "partner_meeting", "regional_day", "seminar", "webinar"]);
  });
});

describe("check-in search", () => {
  const people = [
    { id: "1", first_name: "Hélène", last_name: "Bénard", status: "registered", organization: "MSP Clisson" },
    { id: "2", first_name: "Camille", last_name: "Guérin", status: "attended" },
    { id: "3", first_name: "Léa", last_name: "Morvan", status: "cancelled" },
    { id: "4", first_name: "Hugo", last_name: "Benoît", status: "registered" },
  ];
  it("ignores accents and case, matches word starts, sorts by last name", () => {
    expect(searchRegistrants(people, "ben").map((p) => p.id)).toEqual(["1", "4"]);
    expect(searchRegistrants(people, "HELENE be").map((p) => p.id)).toEqual(["1"]);
    expect(searchRegistrants(people, "clis").map((p) => p.id)).toEqual(["1"]);
  });
  it("leaves cancelled registrations out, counts who is present", () => {
    expect(searchRegistrants(people, "morv")).toEqual([]);
    expect(searchRegistrants(people, "").length).toBe(3);
    expect(checkinCounts(people)).toEqual({ expected: 3, present: 1 });
  });
  it("folds ligatures too", () => { expect(fold("  Ève-Marie  D'Œuvre ")).toBe("eve marie d oeuvre"); });
});

describe("committee", () => {
  const apps = [
    { id: "a", status: "submitted", scores: [{ member: "X", score: 12 }, { member: "Y", score: 15 }], submitted_at: "2026-01-02" },
    { id: "b", status: "submitted", scores: [{ member: "X", score: 16 }], submitted_at: "2026-01-03" },
    { id: "c", status: "withdrawn", scores: [{ member: "X", score: 19 }] },
    { id: "d", status: "submitted", scores: [], submitted_at: "2026-01-01" },
  ];
  it("averages the members' scores and ranks the open applications first", () => {
    expect(averageScore(apps[0])).toBe(13.5);
    expect(rankApplications(apps).map((a) => a.id)).toEqual(["b", "a", "d", "c"]);
  });
  it("reads a French score", () => {
    expect(parseScore("14,5")).toBe(14.5);
    expect(parseScore("21")).toBeNull();
    expect(parseScore("")).toBeNull();
    expect(formatScore(13.5)).toBe("13,5 / 20");
  });
  it("names half-days in French", () => {
    expect(halfDayLabel("2026-03-12:am")).toBe("jeudi 12 mars, matin");
    expect(halfDayLabel("2026-03-12:pm")).toBe("jeudi 12 mars, après-midi");
  });
});

describe("files and requests", () => {
  it("takes the server's file name", () => {
    expect(filenameFrom('attachment; filename="presences.xlsx"', "x")).toBe("presences.xlsx");
    expect(filenameFrom("attachment; filename*=UTF-8''feuille%20d%C3%A9margement.pdf", "x")).toBe("feuille démargement.pdf");
    expect(filenameFrom(null, "fallback.csv")).toBe("fallback.csv");
  });
  it("leaves empty filters out of the query", () => {
    expect(queryString({ kind: "MSP", q: "", department: undefined, archived: false })).toBe("?kind=MSP&archived=false");
    expect(queryString({})).toBe("");
  });
  it("sends the ETag back, else the version", () => {
    expect(ifMatch('W/"3"', 3)).toEqual({ "If-Match": 'W/"3"' });
    expect(ifMatch(null, 4)).toEqual({ "If-Match": '"4"' });
  });
});

describe("report figures", () => {
  it("formats rates, n/a and codes in French", () => {
    expect(formatFigure("attendance_rate", 0.8125).replace(/\u202f|\u00a0/g, " ")).toBe("81,3 %");
    expect(formatFigure("participation_rate", null)).toBe("n/a");
    expect(formatFigure("count", 1234).replace(/\u202f|\u00a0/g, " ")).toBe("1 234");
    expect(formatFigure("kind", "labellisee")).toBe("Labellisée");
    expect(formatFigure("solo_pct", 75.9).replace(/\u202f|\u00a0/g, " ")).toBe("75,9 %");
  });
  it("says why a local group has no participation rate", () => {
    expect(participation({ participation_rate: null, rate_unavailable_reason: "rencontre annulée" })).toBe("n/a (rencontre annulée)");
    expect(participation({ participation_rate: 0.5 }).replace(/\u202f|\u00a0/g, " ")).toBe("50 %");
  });
  it("finds every column and count maps", () => {
    expect(columns([{ a: 1 }, { b: 2, a: 3 }])).toEqual(["a", "b"]);
    expect(isCountMap({ MSP: 3, CPTS: 1 })).toBe(true);
    expect(isCountMap({ total: 3, by: {} })).toBe(false);
  });
});
