"""`GET /v1/stats`: the figures federations report (per year, territory / department).

Events by kind, registrations vs attendance, participation rate of each local group (attendees /
members invited), facilitations by type and department, cancellations. Past events loaded from the
seeds carry reported figures (`reported`) instead of registrations: both count.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from services.events import rules
from services.events.store import EVENTS, LOCAL_GROUPS, PEOPLE, REPORTED, SEATS, department_filter
from shared import clock
from shared.roles import role_active_on


def _figures(event: dict, seats: dict | None) -> tuple[int, int]:
    """(registered, attended) of one event: from registrations, else from reported figures."""
    seats = seats or {}
    reported = event.get("reported") or {}
    registered = seats.get("taken", 0) or reported.get("registered", 0) or 0
    attended = seats.get("attended", 0) or reported.get("attended", 0) or 0
    return registered, attended


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


def stats(db, scope: dict, args: dict) -> dict:
    query = {**scope, "status": {"$ne": "draft"}}
    if args.get("year"):
        year = args["year"]
        query["starts_at"] = {"$gte": dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc),
                              "$lt": dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc)}
    if args.get("department"):
        query.update(department_filter(args["department"]))
    if args.get("territory"):
        query["territory"] = args["territory"]
    events = list(db[EVENTS].find(query))
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in events]}})}

    by_kind: Counter = Counter()
    def bucket():
        return {"events": 0, "by_kind": Counter(), "registered": 0, "attended": 0, "cancelled": 0}
    departments: dict = defaultdict(bucket)
    territories: dict = defaultdict(bucket)
    groups: dict = defaultdict(lambda: {"meetings_held": 0, "attendees": 0})
    facilitations: dict = defaultdict(lambda: {"count": 0, "structures": set()})
    cancellations, totals = [], Counter()
    for event in events:
        registered, attended = _figures(event, seats.get(event["_id"]))
        places = [departments[event.get("department")]] + (
            [territories[event["territory"]]] if event.get("territory") else [])
        for place in places:
            place["events"] += 1
            place["by_kind"][event["kind"]] += 1
        by_kind[event["kind"]] += 1
        totals["events"] += 1
        totals["replay_views"] += event.get("replay_views", 0) + (event.get("reported") or {}).get("replay_views", 0)
        if event["status"] == "cancelled":
            for place in places:
                place["cancelled"] += 1
            totals["cancelled"] += 1
            cancellations.append({"event_id": event["_id"], "title": event["title"], "kind": event["kind"],
                                  "department": event.get("department"), "starts_at": event["starts_at"].isoformat(),
                                  "reason": event.get("cancel_reason")})
            continue
        totals["held"] += event["status"] == "held"
        totals["registered"] += registered
        totals["attended"] += attended
        for place in places:
            place["registered"] += registered
            place["attended"] += attended
        if event["kind"] == "local_group_meeting" and event.get("local_group_id") and event["status"] == "held":
            groups[event["local_group_id"]]["meetings_held"] += 1
            groups[event["local_group_id"]]["attendees"] += attended
        if event["kind"] == "facilitation" and event.get("facilitation"):
            key = (event.get("department"), event["facilitation"]["type"])
            facilitations[key]["count"] += 1
            facilitations[key]["structures"].update(event["facilitation"].get("structure_ids") or [])

    group_docs = {g["_id"]: g for g in db[LOCAL_GROUPS].find({"_id": {"$in": list(groups)}})}
    group_rows = []
    for group_id, figures in sorted(groups.items()):
        group = group_docs.get(group_id) or {}
        invited = members_invited(db, group) if group else 0
        group_rows.append({"local_group_id": group_id, "name": group.get("name"), **figures,
                           "members_invited": invited,
                           "participation_rate": rules.participation_rate(figures["attendees"],
                                                                          invited * figures["meetings_held"])})
    return {
        "year": args.get("year"), "federation": scope.get("federation") if isinstance(scope.get("federation"), str) else None,
        "department": args.get("department"), "territory": args.get("territory"),
        "totals": {**{k: totals[k] for k in ("events", "held", "cancelled", "registered", "attended", "replay_views")},
                   "attendance_rate": rules.participation_rate(totals["attended"], totals["registered"])},
        "events_by_kind": dict(sorted(by_kind.items())),
        "by_department": [{"department": d, **{**v, "by_kind": dict(sorted(v["by_kind"].items()))}}
                          for d, v in sorted(departments.items(), key=lambda kv: kv[0] or "")],
        "by_territory": [{"territory": t, **{**v, "by_kind": dict(sorted(v["by_kind"].items()))}}
                         for t, v in sorted(territories.items())],
        "local_groups": group_rows,
        "facilitations": [{"department": d, "type": t, "count": v["count"], "structures": len(v["structures"])}
                          for (d, t), v in sorted(facilitations.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))],
        "cancellations": sorted(cancellations, key=lambda c: c["starts_at"]),
        "reported": reported_figures(db, scope, args),
    }


def reported_figures(db, scope: dict, args: dict) -> list[dict]:
    """Figures the federations reported in their activity reports (seeds), for the same scope."""
    query = {k: v for k, v in scope.items() if k == "federation"}
    if args.get("year"):
        query["year"] = args["year"]
    if args.get("department"):
        query["department"] = args["department"]
    return [{k: v for k, v in row.items() if k != "_id"}
            for row in db[REPORTED].find(query).sort([("section", 1), ("_id", 1)])]
