"""Applications: a coordinator applies to a cohort for themself, with their structure and motivation;
the selection committee (federation and ARS) scores and decides; every decision says who, when, why."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.events import APPLICATION_DECIDED, APPLICATION_SUBMITTED, APPLICATION_WITHDRAWN
from services.training.learners import withdraw as withdraw_learner
from services.training.service import (
    PERSON, SOURCE, STRUCTURE, bump, cohort_ref, is_staff_of, load, now, person, person_ref, replace_versioned,
    require_staff_of, rule_errors, structure, structure_ref, today,
)
from services.training.store import APPLICATIONS, COHORTS, LEARNERS, PROGRAMMES
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate
from shared.references import require_known


def present(doc: dict, db=None, committee_view: bool = True) -> dict:
    """An application as the API shows it; the applicant sees decisions and reasons, not the scores."""
    out = {k: v for k, v in doc.items() if k != "_id"}
    out["id"] = doc["_id"]
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


def _is_owner(principal: Principal, application: dict) -> bool:
    return principal.can_write(application["federation"]) and principal.sub == application.get("person_id")


def submit(db, principal: Principal, cohort_id: str, data: dict) -> dict:
    cohort = load(db, COHORTS, cohort_id, principal, "cohort")
    staff = is_staff_of(principal, cohort["federation"])
    person_id = data.get("person_id") or principal.sub
    if person_id != principal.sub and not staff:
        raise Conflict("A coordinator applies for themself; staff may file an application for someone.",
                       field="person_id", status=403)
    if not principal.can_write(cohort["federation"]):
        raise Conflict("Applications go to your own federation's cohorts.", status=403)
    if cohort["status"] != "open":
        raise Conflict(f"The cohort is {cohort['status']}: applications are closed.", field="status")
    require_known(db, PERSON, person_id, cohort["federation"], field="person_id")
    require_known(db, STRUCTURE, data["structure_id"], cohort["federation"], field="structure_id")
    applicant = person(db, person_id)
    place = structure(db, data["structure_id"])
    if place.get("archived"):
        raise Conflict("This structure is archived in the federation's registry.", field="structure_id", status=422)
    programme = db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}) or {}
    kinds = programme.get("structure_kinds") or []
    if kinds and place.get("kind") not in kinds:
        raise Conflict(f"{programme.get('name')} is for coordinators of {', '.join(kinds)}.", field="structure_id")
    if not rules.coordinates(applicant, place["_id"], today()):
        raise Conflict("The applicant must currently coordinate this structure.", field="structure_id")
    stamp = now()
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
        raise Conflict("This person already applied to this cohort.", field="person_id") from None


def get_application(db, principal: Principal, application_id: str) -> dict:
    application = load(db, APPLICATIONS, application_id, principal, "application")
    committee_view = principal.is_national or is_staff_of(principal, application["federation"])
    if not (committee_view or _is_owner(principal, application)):
        raise NotFound("application")
    return present(application, db, committee_view)


def list_applications(db, principal: Principal, args: dict, cohort_id: str | None = None) -> dict:
    """Staff (and national) see every application; anyone else only their own."""
    query = principal.scope(args.get("federation"))
    if cohort_id:
        load(db, COHORTS, cohort_id, principal, "cohort")
        query["cohort_id"] = cohort_id
    elif args.get("cohort_id"):
        query["cohort_id"] = args["cohort_id"]
    committee_view = principal.is_national or principal.is_staff
    if not committee_view:
        query["person_id"] = principal.sub
    if args.get("status"):
        query["status"] = args["status"]
    if args.get("placement"):
        query["placement"] = args["placement"]
    page = paginate(db[APPLICATIONS], query, args, sort=[("submitted_at", 1), ("_id", 1)])
    page["items"] = [present(d, db, committee_view) for d in page["items"]]
    return page


def _committee_open(cohort: dict) -> None:
    if cohort["status"] not in ("open", "selection") or cohort.get("selection_closed_at"):
        raise Conflict("The selection of this cohort is closed.", field="status")


def score(db, principal: Principal, application_id: str, data: dict) -> dict:
    """A committee member's score (0–20); the application's score is the mean of its members' latest."""
    application = load(db, APPLICATIONS, application_id, principal, "application")
    require_staff_of(principal, application["federation"])

    def work(tx: Tx) -> dict:
        fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        _committee_open(cohort)
        if fresh["status"] in ("withdrawn", "rejected"):
            raise Conflict(f"The application is {fresh['status']}.", field="status")
        members = {m["name"]: m for m in (cohort.get("committee") or {}).get("members", [])}
        if data["member"] not in members:
            raise Conflict("Record the committee first; scores come from its members.", field="member")
        entry = {"member": data["member"], "body": members[data["member"]]["body"], "score": data["score"],
                 "comment": data.get("comment"), "recorded_by": principal.sub, "at": now()}
        scores = [*fresh["scores"], entry]
        new = bump(fresh, principal.sub, scores=scores, score=rules.mean_score(scores))
        replace_versioned(tx, APPLICATIONS, fresh, new, "application")
        return new
    return present(atomic(db, SOURCE, work), db)


def decide(db, principal: Principal, application_id: str, data: dict) -> dict:
    """Shortlist, accept or reject, with the reason; recorded with who decided, when, and the committee."""
    application = load(db, APPLICATIONS, application_id, principal, "application")
    require_staff_of(principal, application["federation"])

    def work(tx: Tx) -> dict:
        fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        _committee_open(cohort)
        with rule_errors():
            rules.check_application_transition(fresh["status"], data["decision"])
        committee = [{"name": m["name"], "body": m["body"]} for m in (cohort.get("committee") or {}).get("members", [])]
        if data["decision"] in ("accepted", "rejected") and not committee:
            raise Conflict("The committee (federation and ARS) decides: record who sat first.", field="decision")
        stamp = now()
        decision = {"decision": data["decision"], "reason": data["reason"], "by": principal.sub, "at": stamp,
                    "committee": committee, "score": fresh.get("score")}
        new = bump(fresh, principal.sub, status=data["decision"], decisions=[*fresh["decisions"], decision])
        replace_versioned(tx, APPLICATIONS, fresh, new, "application")
        tx.emit(APPLICATION_DECIDED, subject=new["_id"], sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "decision": data["decision"], "reason": data["reason"],
                      "score": fresh.get("score"), "decided_by": principal.sub, "decided_at": stamp,
                      "committee": committee})
        return new
    return present(atomic(db, SOURCE, work), db)


def withdraw(db, principal: Principal, application_id: str, reason: str | None) -> dict:
    """The applicant (or staff) withdraws; a seated learner leaves the cohort and the reserve moves up."""
    application = load(db, APPLICATIONS, application_id, principal, "application")
    if not (_is_owner(principal, application) or is_staff_of(principal, application["federation"])):
        if not principal.is_national:
            raise NotFound("application")
        raise Conflict("Only the applicant or the federation's staff may withdraw an application.", status=403)

    def work(tx: Tx) -> dict:
        fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        cohort = tx.db[COHORTS].find_one({"_id": fresh["cohort_id"]}, session=tx.session)
        if cohort["status"] in ("completed", "cancelled"):
            raise Conflict(f"The cohort is {cohort['status']}.", field="status")
        with rule_errors():
            rules.check_application_transition(fresh["status"], "withdrawn")
        if fresh.get("placement") == "learner" and fresh.get("learner_id"):
            learner = tx.db[LEARNERS].find_one({"_id": fresh["learner_id"]}, session=tx.session)
            if learner and learner["status"] != "enrolled":
                raise Conflict(f"The learner is already {learner['status']}.", field="status")
            if learner:
                withdraw_learner(tx, learner, cohort, principal.sub, reason)
                fresh = tx.db[APPLICATIONS].find_one({"_id": application_id}, session=tx.session)
        new = bump(fresh, principal.sub, status="withdrawn", withdrawn_at=now(), withdrawal_reason=reason,
                   placement=None if fresh.get("placement") == "reserve" else fresh.get("placement"),
                   reserve_rank=None)
        replace_versioned(tx, APPLICATIONS, fresh, new, "application")
        tx.emit(APPLICATION_WITHDRAWN, subject=new["_id"], sequence=new["version"], federation=new["federation"],
                data={**event_data(tx, new, cohort), "reason": reason, "withdrawn_by": principal.sub})
        return new
    return present(atomic(db, SOURCE, work), db)
