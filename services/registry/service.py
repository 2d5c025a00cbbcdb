"""Registry use cases: each checks the rules, writes, and emits its events in one transaction."""
from __future__ import annotations

import datetime as dt
import uuid

from pymongo.errors import DuplicateKeyError

from services.registry import rules
from services.registry.events import STRUCTURE_REGISTERED, STRUCTURE_STATUS_CHANGED, STRUCTURE_UPDATED
from services.registry.store import PUBLIC, STRUCTURES, structure_filter
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

SOURCE = "registry"
# Fields every structure shows, even one stored before they existed.
STRUCTURE_DEFAULTS = {"address": None, "geo": None, "multi_site": False, "local_group_id": None,
                      "membership_years": [], "professionals": {}, "archived": False}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _today() -> dt.date:
    return _now().date()


def _mongo_date(value: dt.date | None):
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc) if value else None


def _as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _derived(doc: dict) -> dict:
    doc["name_sort"] = rules.normalize(doc["name"])
    doc["search_tokens"] = rules.search_tokens(doc["name"], doc["city"])
    return doc


def present(doc: dict) -> dict:
    """A stored structure as the API and events show it (dates as dates, no search fields)."""
    out = {k: v for k, v in doc.items() if k not in PUBLIC}
    out = {**STRUCTURE_DEFAULTS, **out}
    for key in ("labellisee_on", "aci_on", "closed_on", "created_on", "archived_on"):
        out[key] = _as_date(doc.get(key))
    out["status_history"] = [{**h, "date": _as_date(h["date"])} for h in doc.get("status_history", [])]
    return out


def _duplicate_finess(exc: DuplicateKeyError) -> Conflict:
    if "finess" in str(exc):
        return Conflict("A structure with this FINESS number is already registered.", field="finess")
    raise exc


def register_structure(db, principal: Principal, data: dict) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Conflict("You can only register structures in your own federation.", field="federation", status=403)
    status = data.pop("status", "projet")
    status_date = data.pop("status_date", None) or _today()
    now = _now()
    doc = {"_id": str(uuid.uuid4()), "federation": federation, **{k: v for k, v in data.items() if v is not None},
           "status": status, "status_history": [{"from": None, "to": status, "date": _mongo_date(status_date),
                                                  "by": principal.sub}],
           "version": 1, "created_at": now, "updated_at": now, "created_by": principal.sub}
    # A structure registered past `projet` is dated for every step it went through.
    for step in rules.STATUSES[1:rules.STATUSES.index(status) + 1] if status != "fermee" else ["fermee"]:
        doc[rules.STATUS_DATE_FIELD[step]] = _mongo_date(status_date)
    _derived(doc)

    def work(tx: Tx) -> dict:
        tx.db[STRUCTURES].insert_one(doc, session=tx.session)
        tx.emit(STRUCTURE_REGISTERED, subject=doc["_id"], data=present(doc), sequence=1, federation=federation)
        return doc

    try:
        return present(atomic(db, SOURCE, work))
    except DuplicateKeyError as exc:
        raise _duplicate_finess(exc) from None


def get_structure(db, principal: Principal, structure_id: str) -> dict:
    doc = db[STRUCTURES].find_one({"_id": structure_id})
    if doc is None or not principal.can_read(doc["federation"]):
        raise NotFound("structure")
    return present(doc)


def list_structures(db, principal: Principal, args: dict) -> dict:
    query = structure_filter(principal.scope(args.get("federation")), args)
    page = paginate(db[STRUCTURES], query, args, sort=[("name_sort", 1), ("_id", 1)])
    page["items"] = [present(d) for d in page["items"]]
    return page


def update_structure(db, principal: Principal, structure_id: str, changes: dict, expected_version: int) -> dict:
    current = db[STRUCTURES].find_one({"_id": structure_id})
    if current is None or not principal.can_read(current["federation"]):
        raise NotFound("structure")
    if not principal.can_write(current["federation"]):
        raise Conflict("Structures of another federation are read-only for you.", status=403)
    target_status = changes.pop("status", None)
    status_date = changes.pop("status_date", None) or _today()
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    unset = [k for k, v in updates.items() if v is None]
    sets = {k: v for k, v in updates.items() if v is not None}
    status_change = None
    if target_status is not None and target_status != current["status"]:
        try:
            rules.check_transition(current["status"], target_status)
        except rules.TransitionRefused as exc:
            raise Conflict(str(exc), field="status") from None
        if status_date < _as_date(current["status_history"][-1]["date"]):
            raise Conflict("A status cannot take effect before the previous one.", field="status_date")
        status_change = {"from": current["status"], "to": target_status, "date": _mongo_date(status_date),
                         "by": principal.sub}
        sets["status"] = target_status
        sets[rules.STATUS_DATE_FIELD[target_status]] = _mongo_date(status_date)
    if not sets and not unset:
        return present(current)
    new = {**current, **sets}
    for key in unset:
        new.pop(key, None)
    _derived(new)
    new["version"] = expected_version + 1
    new["updated_at"] = _now()
    if status_change:
        new["status_history"] = [*current["status_history"], status_change]

    def work(tx: Tx) -> dict:
        result = tx.db[STRUCTURES].replace_one({"_id": structure_id, "version": expected_version}, new,
                                               session=tx.session)
        if result.matched_count == 0:
            raise Conflict("The structure changed meanwhile; read it again.", status=412)
        # Full state on every change (projections need only this one); status_changed says why too.
        tx.emit(STRUCTURE_UPDATED, subject=structure_id, data={**present(new), "changed": sorted({*sets, *unset})},
                sequence=new["version"], federation=new["federation"])
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
