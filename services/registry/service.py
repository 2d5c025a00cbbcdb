"""Structures use cases: each checks the rules, writes, and emits its events in one transaction.

People and roles live in `people.py`, local groups in `local_groups.py`, territories in
`territories.py`, key figures in `stats.py`, CSV and GDPR exports in `exports.py`.
"""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.registry import rules
from services.registry.dates import as_date, now, to_mongo, today
from services.registry.events import (
    STRUCTURE_ARCHIVED, STRUCTURE_REGISTERED, STRUCTURE_STATUS_CHANGED, STRUCTURE_UPDATED,
)
from services.registry.store import HIDDEN, PEOPLE, PUBLIC, STRUCTURES, department_region, structure_filter
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

SOURCE = "registry"
# Fields every structure shows, even one stored before they existed.
STRUCTURE_DEFAULTS = {"address": None, "geo": None, "multi_site": False, "local_group_id": None,
                      "membership_years": [], "professionals": {}, "archived": False}
DATE_FIELDS = ("labellisee_on", "aci_on", "closed_on", "created_on", "archived_on")


def derived(doc: dict) -> dict:
    """Fields kept for queries and key figures (never shown)."""
    doc["name_sort"] = rules.normalize(doc["name"])
    doc["search_prefixes"] = rules.search_prefixes(doc["name"], doc["city"])
    doc.pop("search_tokens", None)
    doc["has_geo"] = bool(doc.get("geo"))
    doc["region"] = department_region().get(doc["department"])
    doc["created_year"] = rules.year_of(doc.get("created_on") or doc.get("created_at"))
    doc["labellisee_year"] = rules.year_of(doc.get("labellisee_on"))
    doc["aci_year"] = rules.year_of(doc.get("aci_on"))
    return doc


def present(doc: dict) -> dict:
    """A stored structure as the API and events show it (dates as dates, no search fields)."""
    out = {**STRUCTURE_DEFAULTS, **{k: v for k, v in doc.items() if k not in HIDDEN}}
    for key in DATE_FIELDS:
        out[key] = as_date(doc.get(key))
    out["status_history"] = [{**h, "date": as_date(h["date"])} for h in doc.get("status_history", [])]
    return out


def emit_updated(tx: Tx, new: dict, changed) -> None:
    """Full state on every change (projections need only this one), and which fields changed."""
    tx.emit(STRUCTURE_UPDATED, subject=new["_id"], data={**present(new), "changed": sorted(changed)},
            sequence=new["version"], federation=new["federation"])


def _duplicate_finess(exc: DuplicateKeyError) -> Conflict:
    if "finess" in str(exc):
        return Conflict("A structure with this FINESS number is already registered.", field="finess")
    raise exc


def register_structure(db, principal: Principal, data: dict, *, structure_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Conflict("You can only register structures in your own federation.", field="federation", status=403)
    status = data.pop("status", "projet")
    status_date = data.pop("status_date", None) or today()
    stamp = now()
    values = {k: v for k, v in data.items() if v is not None}
    if "created_on" in values:
        values["created_on"] = to_mongo(values["created_on"])
    doc = {"_id": structure_id or str(uuid.uuid4()), "federation": federation, **STRUCTURE_DEFAULTS, **values,
           "status": status, "status_history": [{"from": None, "to": status, "date": to_mongo(status_date),
                                                  "by": principal.sub}],
           "archived_on": None, "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}
    # A structure registered past `projet` is dated for every step it went through.
    for step in rules.STATUSES[1:rules.STATUSES.index(status) + 1] if status != "fermee" else ["fermee"]:
        doc[rules.STATUS_DATE_FIELD[step]] = to_mongo(status_date)
    derived(doc)

    def work(tx: Tx) -> dict:
        tx.db[STRUCTURES].insert_one(doc, session=tx.session)
        tx.emit(STRUCTURE_REGISTERED, subject=doc["_id"], data=present(doc), sequence=1, federation=federation)
        return doc

    try:
        return present(atomic(db, SOURCE, work))
    except DuplicateKeyError as exc:
        raise _duplicate_finess(exc) from None


def find_readable(db, principal: Principal, structure_id: str, session=None) -> dict:
    doc = db[STRUCTURES].find_one({"_id": structure_id}, session=session)
    if doc is None or not principal.can_read(doc["federation"]):
        raise NotFound("structure")
    return doc


def get_structure(db, principal: Principal, structure_id: str) -> dict:
    return present(find_readable(db, principal, structure_id))


def list_structures(db, principal: Principal, args: dict) -> dict:
    query = structure_filter(principal.scope(args.get("federation")), args)
    found = paginate(db[STRUCTURES], query, args, sort=[("name_sort", 1), ("_id", 1)], projection=PUBLIC)
    found["items"] = [present(d) for d in found["items"]]
    return found


def coordinates(db, principal: Principal, structure: dict) -> bool:
    """Is the caller (token `sub` = their person id) a current coordinator of this structure?"""
    if "coordinator" not in principal.roles or principal.federation != structure["federation"]:
        return False
    person = db[PEOPLE].find_one({"_id": principal.sub, "federation": structure["federation"], "erased": False},
                                 {"roles": 1})
    on = today()
    return bool(person) and any(
        r["role"] == "coordinator" and r.get("structure_id") == structure["_id"]
        and rules.role_active({**r, "end_on": as_date(r.get("end_on"))}, on)
        for r in person.get("roles", []))


def _check_may_update(db, principal: Principal, current: dict, fields: set[str]) -> None:
    if principal.is_staff and principal.can_write(current["federation"]):
        return
    if coordinates(db, principal, current):
        try:
            rules.check_coordinator_change(fields)
        except rules.Refused as exc:
            raise Conflict(str(exc), field=exc.field, status=403) from None
        return
    if principal.can_write(current["federation"]) or principal.is_national:
        raise Conflict("Only the federation's staff, or the structure's coordinator for its contact data, "
                       "may change a structure.", status=403)
    raise NotFound("structure")


def update_structure(db, principal: Principal, structure_id: str, changes: dict, expected_version: int) -> dict:
    current = find_readable(db, principal, structure_id)
    _check_may_update(db, principal, current, set(changes))
    if current.get("archived"):
        raise Conflict("An archived structure is read-only; restore it first.", field="archived")
    target_status = changes.pop("status", None)
    status_date = changes.pop("status_date", None) or today()
    if "created_on" in changes:
        changes["created_on"] = to_mongo(changes["created_on"])
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    unset = [k for k, v in updates.items() if v is None]
    sets = {k: v for k, v in updates.items() if v is not None}
    status_change = None
    if target_status is not None and target_status != current["status"]:
        try:
            rules.check_transition(current["status"], target_status)
        except rules.TransitionRefused as exc:
            raise Conflict(str(exc), field="status") from None
        if status_date < as_date(current["status_history"][-1]["date"]):
            raise Conflict("A status cannot take effect before the previous one.", field="status_date")
        status_change = {"from": current["status"], "to": target_status, "date": to_mongo(status_date),
                         "by": principal.sub}
        sets["status"] = target_status
        sets[rules.STATUS_DATE_FIELD[target_status]] = to_mongo(status_date)
    if not sets and not unset:
        return present(current)
    new = {**current, **sets}
    for key in unset:
        new.pop(key, None)
    derived(new)
    new["version"] = expected_version + 1
    new["updated_at"] = now()
    if status_change:
        new["status_history"] = [*current["status_history"], status_change]

    def work(tx: Tx) -> dict:
        result = tx.db[STRUCTURES].replace_one({"_id": structure_id, "version": expected_version}, new,
                                               session=tx.session)
        if result.matched_count == 0:
            raise Conflict("The structure changed meanwhile; read it again.", status=412)
        emit_updated(tx, new, {*sets, *unset})
        if status_change:
            tx.emit(STRUCTURE_STATUS_CHANGED, subject=structure_id, sequence=new["version"],
                    federation=new["federation"],
                    data={"id": structure_id, "federation": new["federation"], "kind": new["kind"],
                          "name": new["name"], "department": new["department"], "from": status_change["from"],
                          "to": status_change["to"], "date": status_date})
        return new

    try:
        return present(atomic(db, SOURCE, work))
    except DuplicateKeyError as exc:
        raise _duplicate_finess(exc) from None


def _staff_only(principal: Principal, doc: dict) -> None:
    if not (principal.is_staff and principal.can_write(doc["federation"])):
        if principal.can_read(doc["federation"]):
            raise Conflict("Only the federation's staff may do this.", status=403)
        raise NotFound("structure")


def archive_structure(db, principal: Principal, structure_id: str, archived_on=None) -> dict:
    """Soft delete: the structure leaves its local group and is listed only with `?archived=true`."""
    from services.registry.local_groups import leave_group_in_tx

    current = find_readable(db, principal, structure_id)
    _staff_only(principal, current)
    if current.get("archived"):
        raise Conflict("The structure is already archived.", field="archived")
    on = archived_on or today()

    def work(tx: Tx) -> dict:
        doc = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
        changed = {"archived", "archived_on"}
        if doc.get("local_group_id"):
            leave_group_in_tx(tx, doc)
            changed.add("local_group_id")
        new = derived({**doc, "archived": True, "archived_on": to_mongo(on), "local_group_id": None,
                       "version": doc["version"] + 1, "updated_at": now()})
        tx.db[STRUCTURES].replace_one({"_id": structure_id}, new, session=tx.session)
        emit_updated(tx, new, changed)
        tx.emit(STRUCTURE_ARCHIVED, subject=structure_id, sequence=new["version"], federation=new["federation"],
                data={"id": structure_id, "federation": new["federation"], "archived_on": on})
        return new

    return present(atomic(db, SOURCE, work))


def restore_structure(db, principal: Principal, structure_id: str) -> dict:
    current = find_readable(db, principal, structure_id)
    _staff_only(principal, current)
    if not current.get("archived"):
        raise Conflict("The structure is not archived.", field="archived")

    def work(tx: Tx) -> dict:
        doc = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
        new = derived({**doc, "archived": False, "archived_on": None, "version": doc["version"] + 1,
                       "updated_at": now()})
        tx.db[STRUCTURES].replace_one({"_id": structure_id}, new, session=tx.session)
        emit_updated(tx, new, {"archived", "archived_on"})
        return new

    return present(atomic(db, SOURCE, work))
