"""What every training use case shares: time, dates in Mongo, scoping, refs for events, rule errors.

The use cases themselves live in modules named after what they do: `programmes`, `cohorts`,
`applications`, `learners`, `seminars`, `certificates`, `stats`.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from services.training import rules
from services.training.store import PEOPLE, STRUCTURES
from shared.dates import as_date, to_mongo as mongo_date  # noqa: F401 - re-exported to training modules
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.references import Ref, require_known

SOURCE = "training"

# What the ids of a training body may name, in this service's copy of the registry.
PERSON = Ref(PEOPLE, "person")
STRUCTURE = Ref(STRUCTURES, "structure")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()


@contextmanager
def rule_errors():
    """A broken domain rule becomes a 409 naming the field."""
    try:
        yield
    except rules.RuleBroken as exc:
        raise Conflict(str(exc), field=exc.field) from None


def load(db, collection: str, key: str, principal: Principal | None, what: str, session=None) -> dict:
    """A document the principal may read, else 404 (another federation's data does not exist for them)."""
    doc = db[collection].find_one({"_id": key}, session=session)
    if doc is None or (principal is not None and not principal.can_read(doc["federation"])):
        raise NotFound(what)
    return doc


def require_staff_of(principal: Principal, federation: str) -> None:
    if not (principal.is_staff and principal.can_write(federation)):
        raise Conflict("Only the federation's staff (admin, staff) may do this.", status=403)


def is_staff_of(principal: Principal, federation: str) -> bool:
    return principal.is_staff and principal.can_write(federation)


def is_trainer_of(principal: Principal, cohort: dict) -> bool:
    return ("trainer" in principal.roles and principal.can_write(cohort["federation"])
            and any(t.get("person_id") == principal.sub for t in cohort.get("trainers", [])))


# --- registry projection reads ---------------------------------------------------------------------

def person(db, person_id: str | None, session=None) -> dict | None:
    if not person_id:
        return None
    doc = db[PEOPLE].find_one({"_id": person_id}, session=session)
    return None if doc is None or doc.get("deleted") else doc


def structure(db, structure_id: str | None, session=None) -> dict | None:
    if not structure_id:
        return None
    doc = db[STRUCTURES].find_one({"_id": structure_id}, session=session)
    return None if doc is None or doc.get("deleted") else doc


def person_ref(db, person_id: str | None, session=None) -> dict:
    """A person as events and lists show them: enough to write to them, nothing more."""
    doc = person(db, person_id, session)
    if doc is None:
        return {"id": person_id or "", "first_name": None, "last_name": None, "email": None, "may_email": False}
    return {"id": doc["_id"], "first_name": doc.get("first_name"), "last_name": doc.get("last_name"),
            "email": doc.get("email"), "may_email": bool(doc.get("may_email")) and bool(doc.get("email"))}


def structure_ref(db, structure_id: str | None, session=None) -> dict | None:
    if not structure_id:
        return None
    doc = structure(db, structure_id, session)
    if doc is None:
        return {"id": structure_id, "name": None, "kind": None, "city": None}
    return {"id": doc["_id"], "name": doc.get("name"), "kind": doc.get("kind"), "city": doc.get("city")}


def full_name(ref: dict) -> str | None:
    parts = [p for p in (ref.get("first_name"), ref.get("last_name")) if p]
    return " ".join(parts) or None


def trainers_from(db, trainers: list[dict], federation: str) -> list[dict]:
    """Trainers as given ({person_id} of the federation's registry, or just a name), named from the projection.

    A person_id must be a person of the cohort's federation that this service knows: else 422 (`trainers`),
    "not known yet, retry later" — another federation's person included (their name is never shown).
    """
    require_known(db, PERSON, [t.get("person_id") for t in trainers], federation, field="trainers")
    out = []
    for t in trainers:
        known = person(db, t.get("person_id"))
        ref = person_ref(db, t.get("person_id")) if known else {}
        out.append({"person_id": t.get("person_id"), "name": full_name(ref) or t.get("name"),
                    "email": ref.get("email") if ref.get("may_email") else None})
    return out


def cohort_ref(cohort: dict) -> dict:
    return {"id": cohort["_id"], "name": cohort["name"], "number": cohort["number"], "city": cohort.get("city"),
            "programme": cohort["programme"]}


def cohort_state(cohort: dict) -> dict:
    """A cohort as the API and its events show it."""
    out = {k: v for k, v in cohort.items() if k not in ("_id",)}
    out["id"] = cohort["_id"]
    for key in ("applications_close_on", "starts_on", "ends_on"):
        out[key] = as_date(cohort.get(key))
    if cohort.get("committee"):
        out["committee"] = {**cohort["committee"], "sat_on": as_date(cohort["committee"].get("sat_on"))}
    return out


def bump(doc: dict, by: str | None = None, **changes) -> dict:
    """The next version of an aggregate (same id), with `changes` applied."""
    return {**doc, **changes, "version": doc["version"] + 1, "updated_at": now(),
            **({"updated_by": by} if by else {})}


def replace_versioned(tx, collection: str, current: dict, new: dict, what: str) -> None:
    """Write `new` only if nobody changed `current` meanwhile (optimistic; the transaction retries conflicts)."""
    result = tx.db[collection].replace_one({"_id": current["_id"], "version": current["version"]}, new,
                                           session=tx.session)
    if result.matched_count == 0:
        raise Conflict(f"The {what} changed meanwhile; read it again.", status=412)
