"""Cohorts (promotions) of a programme: open → selection → in_progress → completed, or cancelled."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.access import load_to_manage, page_of, save, shown
from services.training.applications import committee_of, present as present_application
from services.training.certificates import issue
from services.training.events import (
    COHORT_CANCELLED, COHORT_COMPLETED, COHORT_OPENED, COHORT_SELECTION_CLOSED, COHORT_STARTED, SOURCE,
    programme_ref,
)
from services.training.learners import enroll, fill_seats, reserve_list
from services.training.projection import person_ref, trainers_from
from services.training.store import APPLICATIONS, COHORTS, LEARNERS, PROGRAMMES
from shared import clock
from shared.access import load_or_404, require_manager
from shared.bus.outbox import Tx, atomic
from shared.dates import as_date, to_mongo
from shared.errors import Forbidden, RuleBroken
from shared.http.auth import Principal
from shared.references import UnknownReference

DATE_FIELDS = ("applications_close_on", "starts_on", "ends_on")


def cohort_state(cohort: dict) -> dict:
    """A cohort as the API and its events show it."""
    out = shown(cohort, *DATE_FIELDS)
    if cohort.get("committee"):
        out["committee"] = {**cohort["committee"], "sat_on": as_date(cohort["committee"].get("sat_on"))}
    return out


def _to_mongo(data: dict) -> dict:
    return {k: (to_mongo(v) if k in DATE_FIELDS else v) for k, v in data.items()}


def create_cohort(db, principal: Principal, data: dict) -> dict:
    programme_id = data.pop("programme_id")
    programme = db[PROGRAMMES].find_one({"_id": programme_id, **principal.scope()})
    if programme is None:
        raise UnknownReference(f"Le programme `{programme_id}` n'existe pas.", field="programme_id")
    require_manager(principal, programme["federation"])
    rules.check_cohort_dates(data)
    if data.get("number") is None:
        last = db[COHORTS].find_one({"programme_id": programme["_id"]}, sort=[("number", -1)])
        data["number"] = (last["number"] + 1) if last else 1
    stamp = clock.now()
    cohort = {
        "_id": str(uuid.uuid4()), "federation": programme["federation"], "programme_id": programme["_id"],
        "programme": programme_ref(programme),
        "name": data.pop("name", None) or f"{programme['name']} — promotion n°{data['number']}",
        **_to_mongo({k: v for k, v in data.items() if k != "trainers"}),
        "trainers": trainers_from(db, data.get("trainers", []), programme["federation"]),
        "absence_threshold": data.get("absence_threshold") or programme.get("absence_threshold")
        or rules.DEFAULT_ABSENCE_THRESHOLD,
        "status": "open", "status_history": [{"from": None, "to": "open", "at": stamp, "by": principal.sub}],
        "committee": None, "selection_closed_at": None, "taken": 0,
        "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub,
    }

    def work(tx: Tx) -> dict:
        tx.db[COHORTS].insert_one(cohort, session=tx.session)
        tx.emit(COHORT_OPENED, subject=cohort["_id"], data=cohort_state(cohort), sequence=1,
                federation=cohort["federation"])
        return cohort
    try:
        return cohort_state(atomic(db, SOURCE, work))
    except DuplicateKeyError:
        raise RuleBroken(f"{programme['name']} a déjà une promotion n°{cohort['number']}.", "number") from None


def get_cohort(db, principal: Principal, cohort_id: str) -> dict:
    return cohort_state(load_or_404(db, COHORTS, cohort_id, principal, what="cohort"))


def list_cohorts(db, principal: Principal, args: dict) -> dict:
    return page_of(db[COHORTS], principal.scope(args.get("federation")), args,
                   [("starts_on", -1), ("number", -1), ("_id", 1)], cohort_state, ("programme_id", "status", "city"))


def update_cohort(db, principal: Principal, cohort_id: str, changes: dict, expected_version: int) -> dict:
    current = load_to_manage(db, COHORTS, cohort_id, principal, "cohort")
    if current["status"] in ("completed", "cancelled"):
        raise RuleBroken(f"Une cohorte au statut `{current['status']}` est en lecture seule.", "status")
    if "trainers" in changes:
        changes["trainers"] = trainers_from(db, changes["trainers"], current["federation"])
    rules.check_cohort_dates({**{k: as_date(current.get(k)) for k in DATE_FIELDS},
                              **{k: v for k, v in changes.items() if k in DATE_FIELDS}})

    def work(tx: Tx) -> dict:
        fresh = tx.db[COHORTS].find_one({"_id": cohort_id}, session=tx.session)
        if "seats" in changes and changes["seats"] < fresh["taken"]:
            raise RuleBroken(f"{fresh['taken']} place(s) sont déjà prises.", "seats")
        new = save(tx, COHORTS, {**fresh, "version": expected_version}, principal.sub, **_to_mongo(changes))
        if new["seats"] > fresh["seats"] and fresh.get("selection_closed_at") and new["status"] != "open":
            fill_seats(tx, new, principal.sub)  # more seats: the reserve list moves up
        return tx.db[COHORTS].find_one({"_id": cohort_id}, session=tx.session)
    return cohort_state(atomic(db, SOURCE, work))


def _transition(db, principal: Principal, cohort_id: str, target: str, prepare, event=None, extra=None) -> dict:
    """Move a cohort to `target` (staff only), running `prepare(tx, cohort)` in the same transaction."""
    load_to_manage(db, COHORTS, cohort_id, principal, "cohort")

    def work(tx: Tx) -> dict:
        fresh = tx.db[COHORTS].find_one({"_id": cohort_id}, session=tx.session)
        if target != fresh["status"]:
            rules.check_cohort_transition(fresh["status"], target)
        changes = prepare(tx, fresh) or {}
        history = fresh["status_history"] if target == fresh["status"] else [
            *fresh["status_history"], {"from": fresh["status"], "to": target, "at": clock.now(), "by": principal.sub}]
        taken = tx.db[COHORTS].find_one({"_id": cohort_id}, {"taken": 1}, session=tx.session)["taken"]
        new = save(tx, COHORTS, fresh, principal.sub, status=target, status_history=history, taken=taken, **changes)
        if event is not None:
            tx.emit(event, subject=cohort_id, sequence=new["version"], federation=new["federation"],
                    data={**cohort_state(new), **(extra(tx, new) if extra else {})})
        return new
    return cohort_state(atomic(db, SOURCE, work))


def close_applications(db, principal: Principal, cohort_id: str) -> dict:
    """No more applications: the committee selects."""
    return _transition(db, principal, cohort_id, "selection", lambda tx, c: None)


def record_committee(db, principal: Principal, cohort_id: str, data: dict) -> dict:
    """Who sat on the selection committee (the federation and the ARS), and when."""
    cohort = load_to_manage(db, COHORTS, cohort_id, principal, "cohort")
    if cohort["status"] not in ("open", "selection") or cohort.get("selection_closed_at"):
        raise RuleBroken("Le comité s'enregistre avant la clôture de la sélection.", "status")
    rules.check_committee(data["members"])
    committee = {"sat_on": to_mongo(data["sat_on"]), "members": data["members"], "recorded_by": principal.sub}

    def work(tx: Tx) -> dict:
        fresh = tx.db[COHORTS].find_one({"_id": cohort_id}, session=tx.session)
        return save(tx, COHORTS, fresh, principal.sub, committee=committee)
    return cohort_state(atomic(db, SOURCE, work))


def close_selection(db, principal: Principal, cohort_id: str) -> dict:
    """Accepted applications in rank order take the seats; the rest form the reserve list. Applications
    still undecided are rejected. Learners enrolled and the cohort's figures are published."""
    counts: dict = {}

    def prepare(tx: Tx, cohort: dict) -> dict:
        if cohort["status"] != "selection":
            raise RuleBroken("Fermez d'abord les candidatures (la cohorte doit être en sélection).", "status")
        if cohort.get("selection_closed_at"):
            raise RuleBroken("La sélection est déjà close.", "status")
        if not cohort.get("committee"):
            raise RuleBroken("Enregistrez d'abord le comité de sélection (fédération et ARS).", "committee")
        undecided = tx.db[APPLICATIONS].count_documents(
            {"cohort_id": cohort_id, "status": {"$in": ["submitted", "shortlisted"]}}, session=tx.session)
        if undecided:
            raise RuleBroken(f"{undecided} candidature(s) attendent encore une décision.", "applications")
        accepted = list(tx.db[APPLICATIONS].find({"cohort_id": cohort_id, "status": "accepted",
                                                  "placement": None}, session=tx.session))
        allocation = rules.allocate(accepted, cohort["seats"] - cohort["taken"])
        for application in allocation.learners:
            if enroll(tx, cohort, application, principal.sub, from_reserve=False) is None:
                raise RuleBroken("Les places de la cohorte ont changé entre-temps ; réessayez.")
        start_rank = tx.db[APPLICATIONS].count_documents({"cohort_id": cohort_id, "placement": "reserve"},
                                                         session=tx.session)
        for i, application in enumerate(allocation.reserve, start=start_rank + 1):
            tx.db[APPLICATIONS].update_one({"_id": application["_id"]},
                                           {"$set": {"placement": "reserve", "reserve_rank": i}}, session=tx.session)
        counts.update(
            applications=tx.db[APPLICATIONS].count_documents({"cohort_id": cohort_id}, session=tx.session),
            learners=len(allocation.learners), reserve=start_rank + len(allocation.reserve),
            committee=committee_of(cohort))
        return {"selection_closed_at": clock.now()}

    return _transition(db, principal, cohort_id, "selection", prepare, COHORT_SELECTION_CLOSED,
                       extra=lambda tx, new: counts)


def _count(tx: Tx, cohort_id: str, status: str) -> int:
    return tx.db[LEARNERS].count_documents({"cohort_id": cohort_id, "status": status}, session=tx.session)


def start_cohort(db, principal: Principal, cohort_id: str) -> dict:
    def prepare(tx: Tx, cohort: dict):
        if not cohort.get("selection_closed_at"):
            raise RuleBroken("Clôturez la sélection avant de démarrer.", "status")
        if cohort["taken"] == 0:
            raise RuleBroken("Une cohorte démarre avec au moins un apprenant.", "status")

    return _transition(db, principal, cohort_id, "in_progress", prepare, COHORT_STARTED,
                       lambda tx, new: {"learners": _count(tx, cohort_id, "enrolled")})


def complete_cohort(db, settings, principal: Principal, cohort_id: str) -> dict:
    """The cohort ends: every validated learner is certified, the others are `not_validated`."""
    def prepare(tx: Tx, cohort: dict):
        programme = tx.db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}, session=tx.session) or {}
        for learner in tx.db[LEARNERS].find({"cohort_id": cohort_id, "status": "enrolled"}, session=tx.session):
            if rules.validation_gaps(learner, programme.get("required_deliverables", [])):
                save(tx, LEARNERS, learner, principal.sub, status="not_validated")
            else:
                issue(tx, settings, learner, cohort, principal.sub)

    def extra(tx, new):
        figures = {s: _count(tx, cohort_id, s) for s in ("certified", "not_validated", "withdrawn")}
        return {**figures, "learners": sum(figures.values())}
    return _transition(db, principal, cohort_id, "completed", prepare, COHORT_COMPLETED, extra)


def cancel_cohort(db, principal: Principal, cohort_id: str, reason: str) -> dict:
    people: list = []

    def prepare(tx: Tx, cohort: dict):
        ids = {a["person_id"] for a in tx.db[APPLICATIONS].find(
            {"cohort_id": cohort_id, "status": {"$in": ["submitted", "shortlisted", "accepted"]}}, session=tx.session)}
        for learner in tx.db[LEARNERS].find({"cohort_id": cohort_id, "status": "enrolled"}, session=tx.session):
            ids.add(learner["person_id"])
        people.extend(person_ref(tx.db, pid, tx.session) for pid in sorted(ids))
        return {"cancellation_reason": reason}
    return _transition(db, principal, cohort_id, "cancelled", prepare, COHORT_CANCELLED,
                       extra=lambda tx, new: {"reason": reason, "people": people})


def reserve(db, principal: Principal, cohort_id: str) -> list[dict]:
    cohort = load_or_404(db, COHORTS, cohort_id, principal, what="cohort")
    if not (principal.is_national or principal.manages(cohort["federation"])):
        raise Forbidden("La liste d'attente est visible de l'équipe de la fédération.")
    return [present_application(a, db) for a in reserve_list(db, cohort_id)]
