"""Seminars of a cohort (theme, dates, place, trainers) and attendance per learner per half-day.

Unexcused absences counted over the whole cohort; reaching the cohort's threshold publishes a warning.
"""
from __future__ import annotations

import datetime as dt
import uuid

from services.training import rules
from services.training.access import load_to_manage, page_of, runs_or_teaches, save, shown
from services.training.events import (
    LEARNER_ABSENCE_THRESHOLD, SEMINAR_CANCELLED, SEMINAR_RESCHEDULED, SEMINAR_SCHEDULED, SOURCE, cohort_ref,
    seminar_ref,
)
from services.training.learners import event_data as learner_event_data
from services.training.projection import person_ref, trainers_from
from services.training.store import ATTENDANCE, COHORTS, LEARNERS, PROGRAMMES, SEMINARS
from shared import clock
from shared.access import load_or_404
from shared.bus.outbox import Tx, atomic
from shared.dates import as_date, to_mongo
from shared.errors import Forbidden, Invalid, RuleBroken
from shared.http.auth import Principal


def present(doc: dict) -> dict:
    return shown(doc, "starts_on", "ends_on")


def event_data(tx: Tx, seminar: dict, cohort: dict) -> dict:
    learners = tx.db[LEARNERS].find({"cohort_id": cohort["_id"], "status": "enrolled"}, session=tx.session)
    return {**present(seminar), **seminar_ref(seminar), "cohort": cohort_ref(cohort),
            "learners": [person_ref(tx.db, ln["person_id"], tx.session) for ln in learners]}


def _check_theme(db, cohort: dict, theme: str) -> None:
    programme = db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}) or {}
    themes = [t["theme"] for t in programme.get("seminar_themes", [])]
    if themes and theme not in themes:
        raise RuleBroken(f"Les séminaires de {programme['name']} portent sur : {', '.join(themes)}.", "theme")


def _load(db, principal: Principal, seminar_id: str, allowed=None,
          refusal: str = "Seule l'équipe de la fédération peut faire cela.") -> tuple[dict, dict]:
    """The seminar and its cohort, if `allowed(cohort)` (by default: the caller runs the federation), else 403."""
    seminar = load_or_404(db, SEMINARS, seminar_id, principal, what="seminar")
    cohort = db[COHORTS].find_one({"_id": seminar["cohort_id"]})
    if not (allowed or (lambda c: principal.manages(c["federation"])))(cohort):
        raise Forbidden(refusal)
    return seminar, cohort


def schedule(db, principal: Principal, cohort_id: str, data: dict) -> dict:
    cohort = load_to_manage(db, COHORTS, cohort_id, principal, "cohort")
    if cohort["status"] in ("completed", "cancelled"):
        raise RuleBroken(f"La cohorte est au statut `{cohort['status']}`.", "status")
    rules.check_seminar_dates(data["starts_on"], data["ends_on"])
    _check_theme(db, cohort, data["theme"])
    stamp = clock.now()
    trainers = trainers_from(db, data["trainers"], cohort["federation"]) if data.get("trainers") else None
    seminar = {"_id": str(uuid.uuid4()), "federation": cohort["federation"], "cohort_id": cohort_id,
               "theme": data["theme"], "starts_on": to_mongo(data["starts_on"]), "ends_on": to_mongo(data["ends_on"]),
               "place": data["place"], "with_leaders": data.get("with_leaders", False),
               "trainers": trainers or cohort.get("trainers", []),
               "half_days": rules.half_days(data["starts_on"], data["ends_on"]), "status": "scheduled",
               "history": [], "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}

    def work(tx: Tx) -> dict:
        tx.db[SEMINARS].insert_one(seminar, session=tx.session)
        tx.emit(SEMINAR_SCHEDULED, subject=seminar["_id"], sequence=1, federation=seminar["federation"],
                data=event_data(tx, seminar, cohort))
        return seminar
    return present(atomic(db, SOURCE, work))


def get_seminar(db, principal: Principal, seminar_id: str) -> dict:
    return present(load_or_404(db, SEMINARS, seminar_id, principal, what="seminar"))


def list_seminars(db, principal: Principal, cohort_id: str, args: dict) -> dict:
    load_or_404(db, COHORTS, cohort_id, principal, what="cohort")
    return page_of(db[SEMINARS], {"cohort_id": cohort_id}, args, [("starts_on", 1), ("_id", 1)], present, ("status",))


def _previous(seminar: dict) -> dict:
    """Where and when a seminar was before it moved, as its rescheduled event says."""
    ref = seminar_ref(seminar)
    return {**{k: ref[k].isoformat() for k in ("starts_on", "ends_on", "starts_at", "ends_at")},
            "place": seminar["place"]}


def reschedule(db, principal: Principal, seminar_id: str, changes: dict, expected_version: int) -> dict:
    seminar, cohort = _load(db, principal, seminar_id)
    if seminar["status"] == "cancelled":
        raise RuleBroken("Le séminaire est annulé.", "status")
    starts_on = changes.get("starts_on", as_date(seminar["starts_on"]))
    ends_on = changes.get("ends_on", as_date(seminar["ends_on"]))
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
        if moved and set(fresh["half_days"]) - set(half_days) and tx.db[ATTENDANCE].find_one(
                {"seminar_id": seminar_id, "half_day": {"$nin": half_days}}, session=tx.session):
            raise RuleBroken("Des présences sont notées sur des demi-journées que les nouvelles dates suppriment.", "starts_on")
        history = [*fresh["history"], {"starts_on": fresh["starts_on"], "ends_on": fresh["ends_on"],
                                       "place": fresh["place"], "at": clock.now(), "by": principal.sub}]
        new = save(tx, SEMINARS, {**fresh, "version": expected_version}, principal.sub,
                   **{k: v for k, v in changes.items() if k not in ("starts_on", "ends_on")},
                   starts_on=to_mongo(starts_on), ends_on=to_mongo(ends_on), half_days=half_days,
                   status="rescheduled" if moved else fresh["status"], history=history if moved else fresh["history"])
        if moved:
            tx.emit(SEMINAR_RESCHEDULED, subject=seminar_id, sequence=new["version"], federation=new["federation"],
                    data={**event_data(tx, new, cohort), "previous": _previous(fresh)})
        return new
    return present(atomic(db, SOURCE, work))


def cancel(db, principal: Principal, seminar_id: str, reason: str) -> dict:
    _, cohort = _load(db, principal, seminar_id)

    def work(tx: Tx) -> dict:
        fresh = tx.db[SEMINARS].find_one({"_id": seminar_id}, session=tx.session)
        if fresh["status"] == "cancelled":
            raise RuleBroken("Le séminaire est déjà annulé.", "status")
        if tx.db[ATTENDANCE].find_one({"seminar_id": seminar_id}, session=tx.session):
            raise RuleBroken("Des présences sont déjà notées pour ce séminaire.", "status")
        new = save(tx, SEMINARS, fresh, principal.sub, status="cancelled", cancellation_reason=reason,
                   cancelled_at=clock.now())
        tx.emit(SEMINAR_CANCELLED, subject=seminar_id, sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "reason": reason})
        return new
    return present(atomic(db, SOURCE, work))


# --- attendance ---------------------------------------------------------------------------------------

def _check_records(seminar: dict, records: list[dict]) -> None:
    for i, record in enumerate(records):
        if record["half_day"] not in seminar["half_days"]:
            raise RuleBroken(f"records[{i}] : {record['half_day']} n'est pas une demi-journée de ce séminaire "
                             f"({', '.join(seminar['half_days'])}).", "records")
        if dt.date.fromisoformat(record["half_day"][:10]) > clock.today():
            raise RuleBroken(f"records[{i}] : la présence se note une fois la demi-journée passée.", "records")


def record_attendance(db, principal: Principal, seminar_id: str, records: list[dict]) -> dict:
    """Trainers of the cohort (or staff) record present / absent / late / excused per learner per half-day."""
    seminar, cohort = _load(db, principal, seminar_id, lambda c: runs_or_teaches(principal, c),
                            "Les présences sont notées par les formateurs de la cohorte (ou l'équipe de la fédération).")
    if seminar["status"] == "cancelled":
        raise RuleBroken("Le séminaire est annulé.", "status")
    if cohort["status"] != "in_progress":
        raise RuleBroken("Les présences se notent pendant que la cohorte est en cours.", "status")
    _check_records(seminar, records)

    def work(tx: Tx) -> dict:
        learner_ids = {r["learner_id"] for r in records}
        learners = {ln["_id"]: ln for ln in tx.db[LEARNERS].find(
            {"_id": {"$in": list(learner_ids)}, "cohort_id": cohort["_id"]}, session=tx.session)}
        unknown = sorted(learner_ids - set(learners))
        if unknown:
            raise Invalid(f"Ne sont pas apprenants de cette cohorte : {', '.join(unknown)}.", "records")
        gone = sorted(k for k, v in learners.items() if v["status"] != "enrolled")
        if gone:
            raise RuleBroken(f"Ne sont pas des apprenants inscrits de cette cohorte : {', '.join(gone)}.", "records")
        stamp = clock.now()
        for record in records:
            key = f"{seminar_id}:{record['learner_id']}:{record['half_day']}"
            tx.db[ATTENDANCE].replace_one({"_id": key}, {
                "_id": key, "federation": seminar["federation"], "cohort_id": cohort["_id"], "seminar_id": seminar_id,
                "learner_id": record["learner_id"], "half_day": record["half_day"], "status": record["status"],
                "note": record.get("note"), "recorded_by": principal.sub, "at": stamp}, upsert=True,
                session=tx.session)
        warned = [learner_id for learner_id, learner in learners.items()
                  if _count_absences(tx, principal, cohort, learner, stamp)]
        return {"recorded": len(records), "warned": warned}
    return atomic(db, SOURCE, work)


def _count_absences(tx: Tx, principal: Principal, cohort: dict, learner: dict, stamp: dt.datetime) -> bool:
    """Recount a learner's unexcused absences; True (and a warning published) when they just reached the
    cohort's threshold."""
    statuses = [a["status"] for a in tx.db[ATTENDANCE].find(
        {"cohort_id": cohort["_id"], "learner_id": learner["_id"]}, {"status": 1}, session=tx.session)]
    absences = rules.unexcused_absences(statuses)
    if absences == learner.get("absences", 0):
        return False
    crossed = rules.crossed_threshold(learner.get("absences", 0), absences, cohort["absence_threshold"])
    new = save(tx, LEARNERS, learner, principal.sub, absences=absences,
               **({"absence_warned_at": stamp} if crossed else {}))
    if crossed:
        tx.emit(LEARNER_ABSENCE_THRESHOLD, subject=learner["_id"], sequence=new["version"],
                federation=new["federation"],
                data={**learner_event_data(tx, new, cohort), "absences": absences,
                      "threshold": cohort["absence_threshold"], "trainers": cohort.get("trainers", [])})
    return crossed


def attendance(db, principal: Principal, seminar_id: str) -> dict:
    seminar, _ = _load(db, principal, seminar_id, lambda c: principal.is_national or runs_or_teaches(principal, c),
                       "Les présences sont visibles des formateurs de la cohorte et de l'équipe de la fédération.")
    records = list(db[ATTENDANCE].find({"seminar_id": seminar_id}).sort([("learner_id", 1), ("half_day", 1)]))
    return {"seminar_id": seminar_id, "half_days": seminar["half_days"],
            "records": [{"learner_id": r["learner_id"], "half_day": r["half_day"], "status": r["status"],
                         "note": r.get("note"), "recorded_by": r["recorded_by"], "at": r["at"]} for r in records],
            "rate": rules.attendance_rate([r["status"] for r in records])}
