"""Applications: a coordinator applies to a cohort for themself, with their structure and motivation;
the selection committee (federation and ARS) scores and decides; every decision says who, when, why."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.access import is_self, load_to_manage, page_of, save, shown
from services.training.events import (
    APPLICATION_DECIDED, APPLICATION_SUBMITTED, APPLICATION_WITHDRAWN, SOURCE, cohort_ref,
)
from services.training.learners import withdraw as withdraw_learner
from services.training.projection import PERSON, STRUCTURE, person, person_ref, structure, structure_ref
from services.training.store import APPLICATIONS, COHORTS, LEARNERS, PROGRAMMES
from shared import clock
from shared.access import load_or_404
from shared.bus.outbox import Tx, atomic
from shared.errors import Forbidden, Invalid, NotFound, RuleBroken
from shared.http.auth import Principal
from shared.references import require_known


def present(doc: dict, db=None, committee_view: bool = True) -> dict:
    """An application as the API shows it; the applicant sees decisions and reasons, not the scores."""
    out = shown(doc)
    if not committee_view:
        out.pop("scores", None)
        out.pop("score", None)
        out["decisions"] = [{"decision": d["decision"], "reason": d["reason"], "at": d["at"]}
                            for d in doc.get("decisions", [])]
    if db is not None:
        out["person"] = person_ref(db, doc.get("person_id"))
        out["structure"] = structure_ref(db, doc.get("structure_id"))
    return out


def event_data(tx: Tx, application: dict, cohort: dict) -> dict:
    return {"id": application["_id"], "federation": application["federation"], "cohort": cohort_ref(cohort),
            "person": person_ref(tx.db, application["person_id"], tx.session),
            "structure": structure_ref(tx.db, application.get("structure_id"), tx.session)
            or {"id": "", "name": None, "kind": None, "city": None},
            "status": application["status"], "submitted_at": application["submitted_at"],
            "version": application["version"]}


def _check_applicant(db, cohort: dict, person_id: str, structure_id: str) -> dict:
    """The structure the applicant applies with, if they may apply to this cohort with it."""
    require_known(db, PERSON, person_id, cohort["federation"], field="person_id")
    require_known(db, STRUCTURE, structure_id, cohort["federation"], field="structure_id")
    place = structure(db, structure_id)
    if place.get("archived"):
        raise Invalid("Cette structure est archivée dans le registre de la fédération.", "structure_id")
    programme = db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}) or {}
    kinds = programme.get("structure_kinds") or []
    if kinds and place.get("kind") not in kinds:
        raise RuleBroken(f"{programme.get('name')} s'adresse aux coordinateurs de : {', '.join(kinds)}.", "structure_id")
    if not rules.coordinates(person(db, person_id), place["_id"], clock.today()):
        raise RuleBroken("La personne candidate doit coordonner actuellement cette structure.", "structure_id")
    return place


def submit(db, principal: Principal, cohort_id: str, data: dict) -> dict:
    cohort = load_or_404(db, COHORTS, cohort_id, principal, what="cohort")
    person_id = data.get("person_id") or principal.sub
    if person_id != principal.sub and not principal.manages(cohort["federation"]):
        raise Forbidden("Un coordinateur candidate pour lui-même ; l'équipe de la fédération peut déposer une "
                        "candidature pour quelqu'un.",
                        "person_id")
    if not principal.can_write(cohort["federation"]):
        raise Forbidden("Les candidatures vont aux cohortes de votre propre fédération.")
    if cohort["status"] != "open":
        raise RuleBroken(f"La cohorte est au statut `{cohort['status']}` : les candidatures sont closes.", "status")
    place = _check_applicant(db, cohort, person_id, data["structure_id"])
    stamp = clock.now()
    application = {"_id": str(uuid.uuid4()), "federation": cohort["federation"], "cohort_id": cohort_id,
                   "programme_id": cohort["programme_id"], "person_id": person_id,
                   "structure_id": place["_id"], "motivation": data["motivation"], "status": "submitted",
                   "submitted_at": stamp, "submitted_by": principal.sub, "scores": [], "score": None,
                   "decisions": [], "placement": None, "reserve_rank": None, "learner_id": None,
                   "version": 1, "created_at": stamp, "updated_at": stamp}

    def work(tx: Tx) -> dict:
        tx.db[APPLICATIONS].insert_one(application, session=tx.session)
        tx.emit(APPLICATION_SUBMITTED, subject=application["_id"], sequence=1, federation=application["federation"],
                data=event_data(tx, application, cohort))
        return application
    try:
        return present(atomic(db, SOURCE, work), db)
    except DuplicateKeyError:
        raise RuleBroken("Cette personne a déjà candidaté à cette cohorte.", "person_id") from None


def get_application(db, principal: Principal, application_id: str) -> dict:
    application = load_or_404(db, APPLICATIONS, application_id, principal, what="application")
    committee_view = principal.is_national or principal.manages(application["federation"])
    if not (committee_view or is_self(principal, application)):
        raise NotFound("application")
    return present(application, db, committee_view)


def list_applications(db, principal: Principal, args: dict, cohort_id: str | None = None) -> dict:
    """Staff (and national) see every application; anyone else only their own."""
    query = principal.scope(args.get("federation"))
    if cohort_id:
        load_or_404(db, COHORTS, cohort_id, principal, what="cohort")
        query["cohort_id"] = cohort_id
    committee_view = principal.is_national or principal.is_staff
    if not committee_view:
        query["person_id"] = principal.sub
    return page_of(db[APPLICATIONS], query, args, [("submitted_at", 1), ("_id", 1)],
                   lambda d: present(d, db, committee_view), ("cohort_id", "status", "placement"))


def _committee_work(db, principal: Principal, application_id: str, change):
    """Run `change(tx, application, cohort)` for the committee (staff), while the cohort's selection is open."""
    load_to_manage(db, APPLICATIONS, application_id, principal, "application")

    def work(tx: Tx) -> dict:
        fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        if cohort["status"] not in ("open", "selection") or cohort.get("selection_closed_at"):
            raise RuleBroken("La sélection de cette cohorte est close.", "status")
        return change(tx, fresh, cohort)
    return present(atomic(db, SOURCE, work), db)


def committee_of(cohort: dict) -> list[dict]:
    """Who sat on the cohort's selection committee: name and body."""
    return [{"name": m["name"], "body": m["body"]} for m in (cohort.get("committee") or {}).get("members", [])]


def score(db, principal: Principal, application_id: str, data: dict) -> dict:
    """A committee member's score (0–20); the application's score is the mean of its members' latest."""
    def change(tx: Tx, fresh: dict, cohort: dict) -> dict:
        if fresh["status"] in ("withdrawn", "rejected"):
            raise RuleBroken(f"La candidature est au statut `{fresh['status']}`.", "status")
        members = {m["name"]: m for m in committee_of(cohort)}
        if data["member"] not in members:
            raise RuleBroken("Enregistrez d'abord le comité ; les notes viennent de ses membres.", "member")
        entry = {"member": data["member"], "body": members[data["member"]]["body"], "score": data["score"],
                 "comment": data.get("comment"), "recorded_by": principal.sub, "at": clock.now()}
        scores = [*fresh["scores"], entry]
        return save(tx, APPLICATIONS, fresh, principal.sub, scores=scores, score=rules.mean_score(scores))
    return _committee_work(db, principal, application_id, change)


def decide(db, principal: Principal, application_id: str, data: dict) -> dict:
    """Shortlist, accept or reject, with the reason; recorded with who decided, when, and the committee."""
    def change(tx: Tx, fresh: dict, cohort: dict) -> dict:
        rules.check_application_transition(fresh["status"], data["decision"])
        committee = committee_of(cohort)
        if data["decision"] in ("accepted", "rejected") and not committee:
            raise RuleBroken("Le comité (fédération et ARS) décide : enregistrez d'abord qui y a siégé.", "decision")
        stamp = clock.now()
        decision = {"decision": data["decision"], "reason": data["reason"], "by": principal.sub, "at": stamp,
                    "committee": committee, "score": fresh.get("score")}
        new = save(tx, APPLICATIONS, fresh, principal.sub, status=data["decision"],
                   decisions=[*fresh["decisions"], decision])
        tx.emit(APPLICATION_DECIDED, subject=new["_id"], sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "decision": data["decision"], "reason": data["reason"],
                      "score": fresh.get("score"), "decided_by": principal.sub, "decided_at": stamp,
                      "committee": committee})
        return new
    return _committee_work(db, principal, application_id, change)


def withdraw(db, principal: Principal, application_id: str, reason: str | None) -> dict:
    """The applicant (or staff) withdraws; a seated learner leaves the cohort and the reserve moves up."""
    application = load_or_404(db, APPLICATIONS, application_id, principal, what="application")
    if not (is_self(principal, application) or principal.manages(application["federation"])):
        if not principal.is_national:
            raise NotFound("application")
        raise Forbidden("Seuls la personne candidate et l'équipe de la fédération peuvent retirer une candidature.")

    def work(tx: Tx) -> dict:
        fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        if cohort["status"] in ("completed", "cancelled"):
            raise RuleBroken(f"La cohorte est au statut `{cohort['status']}`.", "status")
        rules.check_application_transition(fresh["status"], "withdrawn")
        if fresh.get("placement") == "learner" and fresh.get("learner_id"):
            learner = tx.db[LEARNERS].find_one({"_id": fresh["learner_id"]}, session=tx.session)
            if learner:
                withdraw_learner(tx, learner, cohort, principal.sub, reason)
                fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        new = save(tx, APPLICATIONS, fresh, principal.sub, status="withdrawn", withdrawn_at=clock.now(),
                   withdrawal_reason=reason, reserve_rank=None,
                   placement=None if fresh.get("placement") == "reserve" else fresh.get("placement"))
        tx.emit(APPLICATION_WITHDRAWN, subject=new["_id"], sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "reason": reason, "withdrawn_by": principal.sub})
        return new
    return present(atomic(db, SOURCE, work), db)
