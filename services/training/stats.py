"""Figures a federation reports ("38 formés PACTE MSP, 19 PACTE CPTS"): learners trained per programme
and year, applications vs seats, completion and attendance rates."""
from __future__ import annotations

from collections import defaultdict

from services.training import rules
from services.training.store import APPLICATIONS, ATTENDANCE, COHORTS, LEARNERS
from shared.clock import today
from shared.dates import as_date
from shared.http.auth import Principal


def stats(db, principal: Principal, args: dict) -> dict:
    scope = principal.scope(args.get("federation"))
    cohort_query = {**scope, "status": {"$ne": "cancelled"}}
    if args.get("programme_id"):
        cohort_query["programme_id"] = args["programme_id"]
    cohorts = list(db[COHORTS].find(cohort_query))
    ids = [c["_id"] for c in cohorts]
    learners = defaultdict(list)
    for ln in db[LEARNERS].find({"cohort_id": {"$in": ids}}, {"cohort_id": 1, "status": 1}):
        learners[ln["cohort_id"]].append(ln["status"])
    applications, applications_withdrawn = defaultdict(int), defaultdict(int)
    for row in db[APPLICATIONS].aggregate([{"$match": {"cohort_id": {"$in": ids}}},
                                           {"$group": {"_id": {"cohort": "$cohort_id", "status": "$status"},
                                                       "n": {"$sum": 1}}}]):
        applications[row["_id"]["cohort"]] += row["n"]
        if row["_id"]["status"] == "withdrawn":
            applications_withdrawn[row["_id"]["cohort"]] += row["n"]
    attendance = defaultdict(list)
    for a in db[ATTENDANCE].find({"cohort_id": {"$in": ids}}, {"cohort_id": 1, "status": 1}):
        attendance[a["cohort_id"]].append(a["status"])

    trained: dict = defaultdict(lambda: {"learners": 0, "certified": 0})
    per_cohort, all_statuses = [], []
    certified_total = finished_total = 0
    totals = {"cohorts": 0, "learners": 0, "withdrawn": 0, "applications_withdrawn": 0, "certified": 0}
    for cohort in sorted(cohorts, key=lambda c: (c["programme"]["code"], c["number"])):
        statuses = learners[cohort["_id"]]
        seated = sum(1 for s in statuses if s != "withdrawn") + (cohort.get("legacy_learners") or 0)
        years = rules.years_between(as_date(cohort.get("starts_on")), as_date(cohort.get("ends_on")), today())
        if args.get("year"):
            years = [y for y in years if y == args["year"]]
        for year in years if cohort["status"] in ("in_progress", "completed") else []:
            trained[(cohort["programme"]["code"], cohort["programme"]["name"], year)]["learners"] += seated
        certified = statuses.count("certified")
        if cohort["status"] == "completed":
            certified_total += certified
            finished_total += len(statuses)
            end_year = (as_date(cohort.get("ends_on")) or today()).year
            if not args.get("year") or args["year"] == end_year:
                trained[(cohort["programme"]["code"], cohort["programme"]["name"], end_year)]["certified"] += certified
        all_statuses += attendance[cohort["_id"]]
        withdrawn = statuses.count("withdrawn")
        if _in_year(cohort, args.get("year")):
            totals["cohorts"] += 1
            totals["learners"] += seated
            totals["withdrawn"] += withdrawn
            totals["applications_withdrawn"] += applications_withdrawn[cohort["_id"]]
            totals["certified"] += certified
        per_cohort.append({
            "cohort_id": cohort["_id"], "cohort": cohort["name"], "programme": cohort["programme"]["code"],
            "status": cohort["status"], "seats": cohort["seats"],
            "applications": applications[cohort["_id"]] or cohort.get("legacy_applications") or 0,
            "learners": seated, "certified": certified, "withdrawn": withdrawn,
            "applications_withdrawn": applications_withdrawn[cohort["_id"]],
            "starts_on": as_date(cohort.get("starts_on")), "ends_on": as_date(cohort.get("ends_on")),
            "completion_rate": rules.completion_rate(certified, len(statuses)) if cohort["status"] == "completed"
            else None,
            "attendance_rate": rules.attendance_rate(attendance[cohort["_id"]]),
        })
    return {
        "trained": [{"programme": code, "programme_name": name, "year": year, **figures}
                    for (code, name, year), figures in sorted(trained.items())],
        "cohorts": [c for c in per_cohort if _in_year(c, args.get("year"))],
        "totals": totals,
        "completion_rate": rules.completion_rate(certified_total, finished_total),
        "attendance_rate": rules.attendance_rate(all_statuses),
    }


def _in_year(cohort: dict, year: int | None) -> bool:
    """A cohort runs during `year` (no year: every cohort)."""
    if not year:
        return True
    starts, ends = as_date(cohort.get("starts_on")), as_date(cohort.get("ends_on"))
    return (starts is None or starts.year <= year) and (ends is None or ends.year >= year)
