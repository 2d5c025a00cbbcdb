"""Seminars of a cohort (theme, dates, place, trainers) and attendance per learner per half-day.

Unexcused absences counted over the whole cohort; reaching the cohort's threshold publishes a warning.
"""
from __future__ import annotations

import datetime as dt
import uuid

from services.training import rules
from services.training.events import (
    LEARNER_ABSENCE_THRESHOLD, SEMINAR_CANCELLED, SEMINAR_RESCHEDULED, SEMINAR_SCHEDULED,
)
from services.training.learners import event_data as learner_event_data
from services.training.service import (
    SOURCE, as_date, bump, cohort_ref, is_staff_of, is_trainer_of, load, mongo_date, now, person_ref,
    replace_versioned, require_staff_of, rule_errors, today, trainers_from,
)
from services.training.store import ATTENDANCE, COHORTS, LEARNERS, PROGRAMMES, SEMINARS
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict
from shared.http.pagination import paginate


def present(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k != "_id"}
    out["id"] = doc["_id"]
    out["starts_on"], out["ends_on"] = as_date(doc["starts_on"]), as_date(doc["ends_on"])
    return out


def event_data(tx: Tx, seminar: dict, cohort: dict) -> dict:
    learners = tx.db[LEARNERS].find({"cohort_id": cohort["_id"], "status": "enrolled"}, session=tx.session)
    return {**present(seminar), "cohort": cohort_ref(cohort),
            "learners": [person_ref(tx.db, ln["person_id"], tx.session) for ln in learners]}


def _check_theme(db, cohort: dict, theme: str) -> None:
    programme = db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}) or {}
    themes = [t["theme"] for t in programme.get("seminar_themes", [])]
    if themes and theme not in themes:
        raise Conflict(f"{programme['name']} seminars are on: {', '.join(themes)}.", field="theme")


def schedule(db, principal: Principal, cohort_id: str, data: dict) -> dict:
    cohort = load(db, COHORTS, cohort_id, principal, "cohort")
    require_staff_of(principal, cohort["federation"])
    if cohort["status"] in ("completed", "cancelled"):
        raise Conflict(f"The cohort is {cohort['status']}.", field="status")
    with rule_errors():
        rules.check_seminar_dates(data["starts_on"], data["ends_on"])
    _check_theme(db, cohort, data["theme"])
    stamp = now()
    seminar = {"_id": str(uuid.uuid4()), "federation": cohort["federation"], "cohort_id": cohort_id,
               "theme": data["theme"], "starts_on": mongo_date(data["starts_on"]), "ends_on": mongo_date(data["ends_on"]),
               "place": data["place"], "with_leaders": data.get("with_leaders", False),
               "trainers": trainers_from(db, data["trainers"], cohort["federation"]) if data.get("trainers") else cohort.get("trainers", []),
               "half_days": rules.half_days(data["starts_on"], data["ends_on"]), "status": "scheduled",
               "history": [], "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}

    def work(tx: Tx) -> dict:
        tx.db[SEMINARS].insert_one(seminar, session=tx.session)
        tx.emit(SEMINAR_SCHEDULED, subject=seminar["_id"], sequence=1, federation=seminar["federation"],
                data=event_data(tx, seminar, cohort))
        return seminar
    return present(atomic(db, SOURCE, work))


def get_seminar(db, principal: Principal, seminar_id: str) -> dict:
    return present(load(db, SEMINARS, seminar_id, principal, "seminar"))


def list_seminars(db, principal: Principal, cohort_id: str, args: dict) -> dict:
    load(db, COHORTS, cohort_id, principal, "cohort")
    query = {"cohort_id": cohort_id}
    if args.get("status"):
        query["status"] = args["status"]
    page = paginate(db[SEMINARS], query, args, sort=[("starts_on", 1), ("_id", 1)])
    page["items"] = [present(d) for d in page["items"]]
    return page


def reschedule(db, principal: Principal, seminar_id: str, changes: dict, expected_version: int) -> dict:
    seminar = load(db, SEMINARS, seminar_id, principal, "seminar")
    require_staff_of(principal, seminar["federation"])
    if seminar["status"] == "cancelled":
        raise Conflict("The seminar is cancelled.", field="status")
    cohort = db[COHORTS].find_one({"_id": seminar["cohort_id"]})
    starts_on = changes.get("starts_on", as_date(seminar["starts_on"]))
    ends_on = changes.get("ends_on", as_date(seminar["ends_on"]))
    with rule_errors():
        rules.check_seminar_dates(starts_on, ends_on)
    if "theme" in changes:
        _check_theme(db, cohort, changes["theme"])
    if "trainers" in changes:
        changes["trainers"] = trainers_from(db, changes["trainers"], seminar["federation"])
    half_days = rules.half_days(starts_on, ends_on)
    moved = (starts_on, ends_on, changes.get("place", seminar["place"])) != (
        as_date(seminar["starts_on"]), as_date(seminar["ends_on"]), seminar["place"])

    def work(tx: Tx) -> dict:
        fresh = tx.db[SEMINARS].find_one({"_id": seminar_id}, session=tx.session)
        if fresh["version"] != expected_version:
            raise Conflict("The seminar changed meanwhile; read it again.", status=412)
        if moved and set(fresh["half_days"]) - set(half_days) and tx.db[ATTENDANCE].find_one(
                {"seminar_id": seminar_id, "half_day": {"$nin": half_days}}, session=tx.session):
            raise Conflict("Attendance is recorded on half-days the new dates drop.", field="starts_on")
        previous = {"starts_on": as_date(fresh["starts_on"]), "ends_on": as_date(fresh["ends_on"]),
                    "place": fresh["place"]}
        new = bump(fresh, principal.sub, **{k: v for k, v in changes.items() if k not in ("starts_on", "ends_on")},
                   starts_on=mongo_date(starts_on), ends_on=mongo_date(ends_on), half_days=half_days,
                   status="rescheduled" if moved else fresh["status"],
                   history=[*fresh["history"], {**previous, "starts_on": mongo_date(previous["starts_on"]),
                                                "ends_on": mongo_date(previous["ends_on"]), "at": now(),
                                                "by": principal.sub}] if moved else fresh["history"])
        replace_versioned(tx, SEMINARS, fresh, new, "seminar")
        if moved:
            tx.emit(SEMINAR_RESCHEDULED, subject=seminar_id, sequence=new["version"], federation=new["federation"],
                    data={**event_data(tx, new, cohort), "previous": {
                        "starts_on": previous["starts_on"].isoformat(), "ends_on": previous["ends_on"].isoformat(),
                        "place": previous["place"]}})
        return new
    return present(atomic(db, SOURCE, work))


def cancel(db, principal: Principal, seminar_id: str, reason: str) -> dict:
    seminar = load(db, SEMINARS, seminar_id, principal, "seminar")
    require_staff_of(principal, seminar["federation"])
    cohort = db[COHORTS].find_one({"_id": seminar["cohort_id"]})

    def work(tx: Tx) -> dict:
        fresh = tx.db[SEMINARS].find_one({"_id": seminar_id}, session=tx.session)
        if fresh["status"] == "cancelled":
            raise Conflict("The seminar is already cancelled.", field="status")
        if tx.db[ATTENDANCE].find_one({"seminar_id": seminar_id}, session=tx.session):
            raise Conflict("Attendance is already recorded for this seminar.", field="status")
        new = bump(fresh, principal.sub, status="cancelled", cancellation_reason=reason, cancelled_at=now())
        replace_versioned(tx, SEMINARS, fresh, new, "seminar")
        tx.emit(SEMINAR_CANCELLED, subject=seminar_id, sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "reason": reason})
        return new
    return present(atomic(db, SOURCE, work))


# --- attendance ---------------------------------------------------------------------------------------

def _attendance_key(seminar_id: str, learner_id: str, half_day: str) -> str:
    return f"{seminar_id}:{learner_id}:{half_day}"


def record_attendance(db, principal: Principal, seminar_id: str, records: list[dict]) -> dict:
    """Trainers of the cohort (or staff) record present / absent / late / excused per learner per half-day."""
    seminar = load(db, SEMINARS, seminar_id, principal, "seminar")
    cohort = db[COHORTS].find_one({"_id": seminar["cohort_id"]})
    if not (is_trainer_of(principal, cohort) or is_staff_of(principal, seminar["federation"])):
        raise Conflict("Attendance is recorded by the cohort's trainers (or the federation's staff).", status=403)
    if seminar["status"] == "cancelled":
        raise Conflict("The seminar is cancelled.", field="status")
    if cohort["status"] != "in_progress":
        raise Conflict("Attendance is recorded while the cohort is in progress.", field="status")
    for i, record in enumerate(records):
        if record["half_day"] not in seminar["half_days"]:
            raise Conflict(f"records[{i}]: {record['half_day']} is not a half-day of this seminar "
                           f"({', '.join(seminar['half_days'])}).", field="records")
        if dt.date.fromisoformat(record["half_day"][:10]) > today():
            raise Conflict(f"records[{i}]: attendance is recorded once the half-day has happened.", field="records")

    def work(tx: Tx) -> dict:
        learner_ids = {r["learner_id"] for r in records}
        learners = {ln["_id"]: ln for ln in tx.db[LEARNERS].find(
            {"_id": {"$in": list(learner_ids)}, "cohort_id": cohort["_id"]}, session=tx.session)}
        unknown = sorted(learner_ids - set(learners))
        if unknown:
            raise Conflict(f"Not learners of this cohort: {', '.join(unknown)}.", field="records", status=422)
        gone = sorted(k for k, v in learners.items() if v["status"] != "enrolled")
        if gone:
            raise Conflict(f"Not enrolled learners of this cohort: {', '.join(gone)}.", field="records")
        stamp = now()
        for record in records:
            key = _attendance_key(seminar_id, record["learner_id"], record["half_day"])
            tx.db[ATTENDANCE].replace_one({"_id": key}, {
                "_id": key, "federation": seminar["federation"], "cohort_id": cohort["_id"], "seminar_id": seminar_id,
                "learner_id": record["learner_id"], "half_day": record["half_day"], "status": record["status"],
                "note": record.get("note"), "recorded_by": principal.sub, "at": stamp}, upsert=True,
                session=tx.session)
        warned = []
        for learner_id, learner in learners.items():
            statuses = [a["status"] for a in tx.db[ATTENDANCE].find(
                {"cohort_id": cohort["_id"], "learner_id": learner_id}, {"status": 1}, session=tx.session)]
            absences = rules.unexcused_absences(statuses)
            if absences == learner.get("absences", 0):
                continue
            crossed = rules.crossed_threshold(learner.get("absences", 0), absences, cohort["absence_threshold"])
            new = bump(learner, principal.sub, absences=absences,
                       **({"absence_warned_at": stamp} if crossed else {}))
            replace_versioned(tx, LEARNERS, learner, new, "learner")
            if crossed:
                warned.append(learner_id)
                tx.emit(LEARNER_ABSENCE_THRESHOLD, subject=learner_id, sequence=new["version"],
                        federation=new["federation"],
                        data={**learner_event_data(tx, new, cohort), "absences": absences,
                              "threshold": cohort["absence_threshold"], "trainers": cohort.get("trainers", [])})
        return {"recorded": len(records), "warned": warned}
    return atomic(db, SOURCE, work)


def attendance(db, principal: Principal, seminar_id: str) -> dict:
    seminar = load(db, SEMINARS, seminar_id, principal, "seminar")
    cohort = db[COHORTS].find_one({"_id": seminar["cohort_id"]})
    if not (principal.is_national or is_trainer_of(principal, cohort) or is_staff_of(principal, seminar["federation"])):
        raise Conflict("Attendance is shown to the cohort's trainers and the federation's staff.", status=403)
    records = list(db[ATTENDANCE].find({"seminar_id": seminar_id}).sort([("learner_id", 1), ("half_day", 1)]))
    return {"seminar_id": seminar_id, "half_days": seminar["half_days"],
            "records": [{"learner_id": r["learner_id"], "half_day": r["half_day"], "status": r["status"],
                         "note": r.get("note"), "recorded_by": r["recorded_by"], "at": r["at"]} for r in records],
            "rate": rules.attendance_rate([r["status"] for r in records])}
