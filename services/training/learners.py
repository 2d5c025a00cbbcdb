"""Learners: accepted applicants who hold a seat. Seats are never exceeded; a freed seat goes to the
first of the reserve list. Validation: deliverables received, defence date and outcome."""
from __future__ import annotations

import uuid

from services.training import rules
from services.training.access import is_self, page_of, runs_or_teaches, save, shown
from services.training.events import LEARNER_ENROLLED, LEARNER_WITHDRAWN, SOURCE, cohort_ref, seminar_ref
from services.training.projection import person_ref, structure_ref
from services.training.store import APPLICATIONS, COHORTS, LEARNERS, PROGRAMMES, SEMINARS
from shared import clock
from shared.access import load_or_404
from shared.bus.outbox import Tx, atomic
from shared.dates import as_date, to_mongo
from shared.errors import Forbidden, NotFound, RuleBroken
from shared.http.auth import Principal

def present(doc: dict, db=None) -> dict:
    out = shown(doc)
    out["deliverables"] = [{**d, "received_on": as_date(d["received_on"])} for d in doc.get("deliverables", [])]
    if doc.get("defence"):
        out["defence"] = {**doc["defence"], "date": as_date(doc["defence"].get("date"))}
    if db is not None:
        out["person"] = person_ref(db, doc.get("person_id"))
    return out


def event_data(tx: Tx, learner: dict, cohort: dict) -> dict:
    return {"id": learner["_id"], "federation": learner["federation"], "cohort": cohort_ref(cohort),
            "person": person_ref(tx.db, learner.get("person_id"), tx.session),
            "structure": structure_ref(tx.db, learner.get("structure_id"), tx.session),
            "application_id": learner.get("application_id"), "status": learner["status"],
            "version": learner["version"]}


# --- seats (inside a transaction) --------------------------------------------------------------------

def take_seat(tx: Tx, cohort_id: str) -> bool:
    """Take one seat of the cohort if one is free. Two transactions taking the last seat write the same
    document: one commits, the other gets a write conflict, is retried, and finds no seat."""
    cohort = tx.db[COHORTS].find_one({"_id": cohort_id}, {"taken": 1, "seats": 1}, session=tx.session)
    if cohort["taken"] >= cohort["seats"]:
        return False
    result = tx.db[COHORTS].update_one({"_id": cohort_id, "taken": cohort["taken"]}, {"$inc": {"taken": 1}},
                                       session=tx.session)
    if result.matched_count != 1:
        raise RuleBroken("Les places de la cohorte ont changé entre-temps ; réessayez.")
    return True


def release_seat(tx: Tx, cohort_id: str) -> None:
    tx.db[COHORTS].update_one({"_id": cohort_id, "taken": {"$gt": 0}}, {"$inc": {"taken": -1}}, session=tx.session)


def enroll(tx: Tx, cohort: dict, application: dict, by: str, from_reserve: bool) -> dict | None:
    """Seat an accepted application (None when no seat is free: it stays on the reserve list)."""
    if not take_seat(tx, cohort["_id"]):
        return None
    stamp = clock.now()
    learner = {"_id": str(uuid.uuid4()), "federation": cohort["federation"], "cohort_id": cohort["_id"],
               "programme_id": cohort["programme_id"], "application_id": application["_id"],
               "person_id": application["person_id"], "structure_id": application.get("structure_id"),
               "status": "enrolled", "from_reserve": from_reserve, "enrolled_at": stamp, "enrolled_by": by,
               "deliverables": [], "defence": None, "absences": 0, "absence_warned_at": None,
               "certificate_code": None, "version": 1, "created_at": stamp, "updated_at": stamp}
    tx.db[LEARNERS].insert_one(learner, session=tx.session)
    tx.db[APPLICATIONS].update_one(
        {"_id": application["_id"]},
        {"$set": {"placement": "learner", "learner_id": learner["_id"], "reserve_rank": None}},
        session=tx.session)
    tx.emit(LEARNER_ENROLLED, subject=learner["_id"], sequence=1, federation=learner["federation"],
            data={**event_data(tx, learner, cohort), "from_reserve": from_reserve,
                  "seminars": upcoming_seminars(tx, cohort["_id"])})
    return learner


def upcoming_seminars(tx: Tx, cohort_id: str) -> list[dict]:
    cursor = tx.db[SEMINARS].find({"cohort_id": cohort_id, "status": {"$ne": "cancelled"},
                                   "ends_on": {"$gte": to_mongo(clock.today())}}, session=tx.session)
    return [seminar_ref(s) for s in cursor.sort("starts_on", 1)]


def reserve_list(db, cohort_id: str, session=None) -> list[dict]:
    return list(db[APPLICATIONS].find({"cohort_id": cohort_id, "status": "accepted", "placement": "reserve"},
                                      session=session).sort([("reserve_rank", 1), ("_id", 1)]))


def fill_seats(tx: Tx, cohort: dict, by: str) -> list[dict]:
    """Promote the reserve list, first first, while seats are free."""
    promoted = []
    for application in reserve_list(tx.db, cohort["_id"], tx.session):
        learner = enroll(tx, cohort, application, by, from_reserve=True)
        if learner is None:
            break
        promoted.append(learner)
    return promoted


def withdraw(tx: Tx, learner: dict, cohort: dict, by: str, reason: str | None) -> dict:
    """The learner leaves; their seat goes to the first of the reserve list (if the cohort still runs)."""
    if learner["status"] != "enrolled":
        raise RuleBroken(f"L'apprenant est déjà au statut `{learner['status']}`.", "status")
    new = save(tx, LEARNERS, learner, by, status="withdrawn", withdrawn_at=clock.now(), withdrawal_reason=reason)
    tx.db[APPLICATIONS].update_one({"_id": learner.get("application_id")},
                                   {"$set": {"placement": "withdrawn"}}, session=tx.session)
    release_seat(tx, cohort["_id"])
    promoted = fill_seats(tx, cohort, by) if cohort["status"] in ("selection", "in_progress") else []
    tx.emit(LEARNER_WITHDRAWN, subject=new["_id"], sequence=new["version"], federation=new["federation"],
            data={**event_data(tx, new, cohort), "reason": reason, "withdrawn_by": by,
                  "promoted_learner_id": promoted[0]["_id"] if promoted else None})
    return new


# --- use cases -------------------------------------------------------------------------------------

def _may_see(principal: Principal, learner: dict, cohort: dict) -> bool:
    return principal.is_national or runs_or_teaches(principal, cohort) or is_self(principal, learner)


def _load(db, principal: Principal, learner_id: str, allowed, refusal: str) -> tuple[dict, dict]:
    """The learner and their cohort, if `allowed(learner, cohort)`; else 403 to whom may see them, 404 to others."""
    learner = load_or_404(db, LEARNERS, learner_id, principal, what="learner")
    cohort = db[COHORTS].find_one({"_id": learner["cohort_id"]})
    if not allowed(learner, cohort):
        if not _may_see(principal, learner, cohort):
            raise NotFound("learner")
        raise Forbidden(refusal)
    return learner, cohort


def get_learner(db, principal: Principal, learner_id: str) -> dict:
    learner, _ = _load(db, principal, learner_id, lambda ln, c: _may_see(principal, ln, c), "")
    return present(learner, db)


def list_learners(db, principal: Principal, cohort_id: str, args: dict) -> dict:
    cohort = load_or_404(db, COHORTS, cohort_id, principal, what="cohort")
    if not (principal.is_national or runs_or_teaches(principal, cohort)):
        raise Forbidden("Les apprenants d'une cohorte sont visibles de l'équipe de la fédération et des formateurs.")
    return page_of(db[LEARNERS], {"cohort_id": cohort_id}, args, [("enrolled_at", 1), ("_id", 1)],
                   lambda d: present(d, db), ("status",))


def withdraw_learner(db, principal: Principal, learner_id: str, reason: str | None) -> dict:
    _load(db, principal, learner_id, lambda ln, c: is_self(principal, ln) or principal.manages(ln["federation"]),
          "Un apprenant se retire lui-même, ou l'équipe de la fédération le retire.")

    def work(tx: Tx) -> dict:
        fresh = tx.db[LEARNERS].find_one({"_id": learner_id}, session=tx.session)
        current_cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        return withdraw(tx, fresh, current_cohort, principal.sub, reason)
    return present(atomic(db, SOURCE, work), db)


def _validation_write(db, principal: Principal, learner_id: str, change) -> dict:
    learner, _ = _load(db, principal, learner_id, lambda ln, c: runs_or_teaches(principal, c),
                       "La validation est enregistrée par l'équipe de la fédération ou les formateurs de la cohorte.")
    if learner["status"] != "enrolled":
        raise RuleBroken(f"L'apprenant est au statut `{learner['status']}`.", "status")

    def work(tx: Tx) -> dict:
        fresh = tx.db[LEARNERS].find_one({"_id": learner_id}, session=tx.session)
        return save(tx, LEARNERS, fresh, principal.sub, **change(fresh))
    return present(atomic(db, SOURCE, work), db)


def record_deliverable(db, principal: Principal, learner_id: str, data: dict) -> dict:
    def change(learner):
        kept = [d for d in learner.get("deliverables", []) if d["name"] != data["name"]]
        return {"deliverables": [*kept, {"name": data["name"], "received_on": to_mongo(data["received_on"]),
                                         "recorded_by": principal.sub}]}
    return _validation_write(db, principal, learner_id, change)


def record_defence(db, principal: Principal, learner_id: str, data: dict) -> dict:
    def change(learner):
        return {"defence": {"date": to_mongo(data["date"]), "outcome": data.get("outcome", "pending"),
                            "jury": data.get("jury", []), "comment": data.get("comment"),
                            "recorded_by": principal.sub, "recorded_at": clock.now()}}
    return _validation_write(db, principal, learner_id, change)


def gaps(db, learner: dict) -> list[str]:
    programme = db[PROGRAMMES].find_one({"_id": learner["programme_id"]}) or {}
    return rules.validation_gaps(learner, programme.get("required_deliverables", []))
