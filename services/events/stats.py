"""`GET /v1/stats`: the figures federations report (per year, territory / department).

Events by kind, meetings held by kind and territory, registrations vs attendance, participation rate of
each local group (attendees / members invited, or "n/a" with the reason), regional days (registered vs
present), webinars (participants, replay views), facilitations by type and territory, cancellations
(those for lack of participants counted apart). Past events loaded from the seeds carry reported figures
(`reported`) instead of registrations: both count.

A rate only divides figures known for the same events: the attendance rate is over the events whose
registrations *and* attendance are known (not every attendee of the year over the only event whose
registrations were reported).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict

from services.events import rules
from services.events.store import EVENTS, LOCAL_GROUPS, PEOPLE, REPORTED, SEATS, department_filter
from shared import clock
from shared.roles import role_active_on

LACK_OF_PARTICIPANTS = ("faute de participant", "manque de participant", "participants insuffisant",
                        "pas assez de participant", "minimum de participants", "lack of participant")
# Why a local group's participation rate is "n/a".
NO_MEETING = "aucune rencontre tenue sur la période"
CANCELLED_MEETING = "rencontre annulée"
ATTENDANCE_UNKNOWN = "présence non renseignée"
MEMBERS_UNKNOWN = "membres du groupe non renseignés"
MEMBERS_INCOMPLETE = "liste des membres incomplète (plus de présents que de membres connus)"


def figures(event: dict, seats: dict | None) -> tuple[int | None, int | None]:
    """(registered, attended) of one event, None when unknown: from registrations and check-ins, else from
    the figures the federation reported."""
    seats = seats or {}
    reported = event.get("reported") or {}
    registered = seats.get("taken") or reported.get("registered")
    checked = (seats.get("attended") or 0) + (seats.get("absent") or 0)
    attended = seats.get("attended") if checked else reported.get("attended")
    return registered, attended


def for_lack_of_participants(reason: str | None) -> bool:
    text = unicodedata.normalize("NFKD", reason or "").encode("ascii", "ignore").decode().lower()
    return any(marker in text for marker in LACK_OF_PARTICIPANTS)


def members_invited(db, group: dict) -> int:
    """Members of a local group: people with a role active today in one of its structures, and its contacts."""
    people = set(group.get("contact_person_ids") or [])
    if group.get("structure_ids"):
        today = clock.today()
        for person in db[PEOPLE].find({"roles.structure_id": {"$in": group["structure_ids"]},
                                       "deleted": {"$ne": True}}, {"roles": 1}):
            if any(r.get("structure_id") in group["structure_ids"] and role_active_on(r, today)
                   for r in person["roles"]):
                people.add(person["_id"])
    return len(people)


def _query(scope: dict, args: dict) -> dict:
    query = {**scope, "status": {"$ne": "draft"}}
    if args.get("year"):
        year = args["year"]
        query["starts_at"] = {"$gte": dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc),
                              "$lt": dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc)}
    if args.get("department"):
        query.update(department_filter(args["department"]))
    if args.get("territory"):
        query["territory"] = args["territory"]
    return query


def _bucket() -> dict:
    return {"events": 0, "held": 0, "by_kind": Counter(), "held_by_kind": Counter(), "registered": 0,
            "attended": 0, "cancelled": 0}


def _day(event: dict) -> str:
    return rules.local_times(event)["starts_at_local"].date().isoformat()


def stats(db, scope: dict, args: dict) -> dict:
    events = list(db[EVENTS].find(_query(scope, args)).sort([("starts_at", 1), ("_id", 1)]))
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in events]}})}

    by_kind: Counter = Counter()
    departments: dict = defaultdict(_bucket)
    territories: dict = defaultdict(_bucket)
    groups: dict = defaultdict(lambda: {"meetings_held": 0, "meetings_cancelled": 0, "meetings_with_attendance": 0,
                                        "attendees": 0})
    facilitations: dict = defaultdict(lambda: {"count": 0, "structures": set()})
    facilitations_by_territory: dict = defaultdict(int)
    regional_days, webinars, cancellations = [], [], []
    totals = Counter()
    for event in events:
        registered, attended = figures(event, seats.get(event["_id"]))
        places = [departments[event.get("department")]] + (
            [territories[event["territory"]]] if event.get("territory") else [])
        for place in places:
            place["events"] += 1
            place["by_kind"][event["kind"]] += 1
        by_kind[event["kind"]] += 1
        totals["events"] += 1
        group_id = event.get("local_group_id") if event["kind"] == "local_group_meeting" else None
        if event["status"] == "cancelled":
            lack = for_lack_of_participants(event.get("cancel_reason"))
            for place in places:
                place["cancelled"] += 1
            totals["cancelled"] += 1
            totals["cancelled_lack_of_participants"] += lack
            if group_id:
                groups[group_id]["meetings_cancelled"] += 1
            cancellations.append({"event_id": event["_id"], "title": event["title"], "kind": event["kind"],
                                  "department": event.get("department"), "territory": event.get("territory"),
                                  "starts_at": event["starts_at"].isoformat(), "reason": event.get("cancel_reason"),
                                  "lack_of_participants": lack})
            continue
        held = event["status"] == "held"
        views = (event.get("replay_views") or 0) + ((event.get("reported") or {}).get("replay_views") or 0)
        totals["held"] += held
        totals["replay_views"] += views
        totals["registered"] += registered or 0
        totals["attended"] += attended or 0
        if registered is not None and attended is not None:
            totals["rate_registered"] += registered
            totals["rate_attended"] += attended
            totals["events_with_both"] += 1
        for place in places:
            place["registered"] += registered or 0
            place["attended"] += attended or 0
            if held:
                place["held"] += 1
                place["held_by_kind"][event["kind"]] += 1
        if event["kind"] == "regional_day":
            regional_days.append({"event_id": event["_id"], "title": event["title"], "date": _day(event),
                                  "status": event["status"], "department": event.get("department"),
                                  "registered": registered, "attended": attended,
                                  "attendance_rate": _rate(attended, registered)})
        if event["kind"] == "webinar":
            webinars.append({"event_id": event["_id"], "title": event["title"], "date": _day(event),
                             "status": event["status"], "participants": attended, "registered": registered,
                             "replay_views": views})
        if group_id and held:
            groups[group_id]["meetings_held"] += 1
            if attended is not None:
                groups[group_id]["meetings_with_attendance"] += 1
                groups[group_id]["attendees"] += attended
        if event["kind"] == "facilitation" and event.get("facilitation") and held:
            key = (event.get("department"), event["facilitation"]["type"])
            facilitations[key]["count"] += 1
            facilitations[key]["structures"].update(event["facilitation"].get("structure_ids") or [])
            facilitations_by_territory[(event.get("territory"), event["facilitation"]["type"])] += 1

    return {
        "year": args.get("year"),
        "federation": scope.get("federation") if isinstance(scope.get("federation"), str) else None,
        "department": args.get("department"), "territory": args.get("territory"),
        "totals": {**{k: totals[k] for k in ("events", "held", "cancelled", "cancelled_lack_of_participants",
                                             "registered", "attended", "replay_views")},
                   "attendance_rate": _rate(totals["rate_attended"], totals["rate_registered"]),
                   "attendance_rate_events": totals["events_with_both"],
                   "attendance_rate_registered": totals["rate_registered"],
                   "attendance_rate_attended": totals["rate_attended"]},
        "events_by_kind": dict(sorted(by_kind.items())),
        "by_department": [{"department": d, **_place(v)} for d, v in sorted(departments.items(),
                                                                          key=lambda kv: kv[0] or "")],
        "by_territory": [{"territory": t, **_place(v)} for t, v in sorted(territories.items())],
        "local_groups": _group_rows(db, scope, args, groups),
        "regional_days": regional_days,
        "webinars": webinars,
        "webinar_totals": {"webinars": len(webinars),
                           "participants": sum(w["participants"] or 0 for w in webinars),
                           "replay_views": sum(w["replay_views"] for w in webinars)},
        "facilitations": [{"department": d, "type": k, "count": v["count"], "structures": len(v["structures"])}
                          for (d, k), v in sorted(facilitations.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))],
        "facilitations_by_territory": [{"territory": t, "type": k, "count": n} for (t, k), n in sorted(
            facilitations_by_territory.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))],
        "cancellations": cancellations,
        "reported": reported_figures(db, scope, args),
    }


def _rate(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return rules.participation_rate(part, whole)


def _place(bucket: dict) -> dict:
    return {**bucket, "by_kind": dict(sorted(bucket["by_kind"].items())),
            "held_by_kind": dict(sorted(bucket["held_by_kind"].items()))}


def _group_rows(db, scope: dict, args: dict, groups: dict) -> list[dict]:
    """Every local group in scope (those with no meeting too), with its participation rate or why not."""
    query = {"$or": [{"_id": {"$in": list(groups)}}, {k: v for k, v in scope.items() if k == "federation"}]}
    if args.get("department") or args.get("territory"):
        query = {"_id": {"$in": list(groups)}}
    docs = {g["_id"]: g for g in db[LOCAL_GROUPS].find({**query, "deleted": {"$ne": True}})}
    rows = []
    for group_id in sorted(set(groups) | set(docs)):
        figures_ = groups.get(group_id) or {"meetings_held": 0, "meetings_cancelled": 0,
                                            "meetings_with_attendance": 0, "attendees": 0}
        group = docs.get(group_id) or {}
        invited = members_invited(db, group) if group else 0
        rate, reason = None, None
        if not figures_["meetings_held"]:
            reason = CANCELLED_MEETING if figures_["meetings_cancelled"] else NO_MEETING
        elif not figures_["meetings_with_attendance"]:
            reason = ATTENDANCE_UNKNOWN
        elif invited == 0:
            reason = MEMBERS_UNKNOWN
        elif figures_["attendees"] > invited * figures_["meetings_with_attendance"]:
            reason = MEMBERS_INCOMPLETE
        else:
            rate = rules.participation_rate(figures_["attendees"], invited * figures_["meetings_with_attendance"])
        if reason == CANCELLED_MEETING:
            cancelled = db[EVENTS].find_one({"local_group_id": group_id, "status": "cancelled",
                                             **{k: v for k, v in _query({}, args).items() if k == "starts_at"}},
                                            {"cancel_reason": 1})
            if cancelled and cancelled.get("cancel_reason"):
                reason = f"{CANCELLED_MEETING} ({cancelled['cancel_reason']})"
        rows.append({"local_group_id": group_id, "name": group.get("name"), **figures_, "members_invited": invited,
                     "participation_rate": rate, "rate_unavailable_reason": reason})
    return rows


def reported_figures(db, scope: dict, args: dict) -> list[dict]:
    """Figures the federations reported in their activity reports (seeds), for the same scope."""
    query = {k: v for k, v in scope.items() if k == "federation"}
    if args.get("year"):
        query["year"] = args["year"]
    if args.get("department"):
        query["department"] = args["department"]
    if args.get("territory"):
        query["territory"] = args["territory"]
    return [{k: v for k, v in row.items() if k != "_id"}
            for row in db[REPORTED].find(query).sort([("section", 1), ("_id", 1)])]
