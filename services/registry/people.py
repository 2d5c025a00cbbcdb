"""People and their roles: coordinators, leaders, co-gérants, professionals, facilitators, federation staff.

A person's `version` is the `sequence` of every event about them; `person.registered` / `person.updated`
carry their full state, roles included. Assigning or ending a role also emits `role.assigned` /
`role.ended`. The GDPR erasure is in `gdpr.py`.
"""
from __future__ import annotations

import uuid

from services.registry import rules
from services.registry.dates import as_date, now, to_mongo, today
from services.registry.events import PERSON_REGISTERED, PERSON_UPDATED, ROLE_ASSIGNED, ROLE_ENDED
from services.registry.service import SOURCE
from services.registry.store import PEOPLE, PUBLIC, STRUCTURES, people_filter
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

PERSON_DEFAULTS = {"email": None, "phone": None, "rpps": None, "may_email": True, "demo": False, "profession": None,
                   "employment_status": None, "weekly_coordination_hours": None, "coordination_mode": None,
                   "facilitator_departments": [], "roles": [], "erased": False, "erased_on": None}


# --- Shapes ------------------------------------------------------------------------------------------

def roles_of(doc: dict) -> list[dict]:
    """The person's roles with dates as dates (what rules work on)."""
    return [{**r, "start_on": as_date(r["start_on"]), "end_on": as_date(r.get("end_on"))}
            for r in doc.get("roles", [])]


def _roles_to_mongo(roles: list[dict]) -> list[dict]:
    return [{**r, "start_on": to_mongo(r["start_on"]), "end_on": to_mongo(r.get("end_on"))} for r in roles]


def derived(doc: dict) -> dict:
    on = today()
    active = [r for r in roles_of(doc) if rules.role_active(r, on)]
    doc["name_sort"] = rules.normalize(f"{doc['last_name']} {doc['first_name']}")
    doc["search_prefixes"] = [] if doc.get("erased") else rules.search_prefixes(
        doc["first_name"], doc["last_name"], (doc.get("email") or "").replace("@", " "))
    doc["active_roles"] = sorted({r["role"] for r in active})
    doc["active_structure_ids"] = sorted({r["structure_id"] for r in active if r.get("structure_id")})
    return doc


def present(doc: dict, structure_names: dict | None = None) -> dict:
    out = {**PERSON_DEFAULTS, **{k: v for k, v in doc.items() if k not in PUBLIC}}
    on = today()
    out["roles"] = [{**r, "active": rules.role_active(r, on),
                     "structure_name": (structure_names or {}).get(r.get("structure_id"))}
                    for r in roles_of(doc)]
    out["erased_on"] = as_date(doc.get("erased_on"))
    return out


def event_data(doc: dict) -> dict:
    return {**present(doc), "roles": [{k: r[k] for k in ("id", "structure_id", "role", "start_on", "end_on")}
                                      for r in roles_of(doc)]}


def _emit_person(tx: Tx, event, doc: dict) -> None:
    tx.emit(event, subject=doc["_id"], data=event_data(doc), sequence=doc["version"], federation=doc["federation"])


def _emit_role(tx: Tx, event, doc: dict, role: dict) -> None:
    tx.emit(event, subject=doc["_id"], sequence=doc["version"], federation=doc["federation"],
            data={"person_id": doc["_id"], "role_id": role["id"], "structure_id": role.get("structure_id"),
                  "role": role["role"], "start_on": as_date(role["start_on"]), "end_on": as_date(role.get("end_on")),
                  "federation": doc["federation"]})


def _structure_names(db, docs: list[dict]) -> dict:
    ids = {r.get("structure_id") for d in docs for r in d.get("roles", []) if r.get("structure_id")}
    if not ids:
        return {}
    return {s["_id"]: s["name"] for s in db[STRUCTURES].find({"_id": {"$in": sorted(ids)}}, {"name": 1})}


# --- Access ------------------------------------------------------------------------------------------

def find_readable(db, principal: Principal, person_id: str, session=None) -> dict:
    """Staff of the person's federation and national roles read people; anyone reads themselves."""
    doc = db[PEOPLE].find_one({"_id": person_id}, session=session)
    if doc is None or not principal.can_read(doc["federation"]):
        raise NotFound("person")
    if not (principal.is_staff or principal.is_national or principal.sub == person_id):
        raise Conflict("Only the federation's staff read other people's records.", status=403)
    return doc


def staff_of(principal: Principal, federation: str) -> None:
    if not (principal.is_staff and principal.can_write(federation)):
        raise Conflict("Only the federation's staff may do this.", status=403)


def _structure_for_role(tx: Tx, federation: str, structure_id: str | None) -> None:
    if structure_id is None:
        return
    structure = tx.db[STRUCTURES].find_one({"_id": structure_id}, {"federation": 1, "archived": 1},
                                           session=tx.session)
    if structure is None or structure["federation"] != federation:
        raise Conflict(f"No structure {structure_id} in this federation.", field="structure_id", status=422)
    if structure.get("archived"):
        raise Conflict("The structure is archived.", field="structure_id")


def _new_role(data: dict) -> dict:
    return {"id": uuid.uuid4().hex[:12], "structure_id": data.get("structure_id"), "role": data["role"],
            "start_on": data.get("start_on") or today(), "end_on": None}


# --- Use cases ---------------------------------------------------------------------------------------

def register_person(db, principal: Principal, data: dict, *, person_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    staff_of(principal, federation)
    role_requests = data.pop("roles", None) or []
    roles: list[dict] = []
    on = today()
    for request in role_requests:
        try:
            rules.check_no_duplicate_role(roles, request["role"], request.get("structure_id"), on)
        except rules.Refused as exc:
            raise Conflict(str(exc), field="roles") from None
        roles.append(_new_role(request))
    stamp = now()
    doc = {"_id": person_id or str(uuid.uuid4()), "federation": federation, **PERSON_DEFAULTS,
           **{k: v for k, v in data.items() if v is not None}, "roles": _roles_to_mongo(roles),
           "version": 1, "created_at": stamp, "updated_at": stamp}
    derived(doc)

    def work(tx: Tx) -> dict:
        for role in roles:
            _structure_for_role(tx, federation, role["structure_id"])
        tx.db[PEOPLE].insert_one(doc, session=tx.session)
        _emit_person(tx, PERSON_REGISTERED, doc)
        return doc

    return present(atomic(db, SOURCE, work), _structure_names(db, [doc]))


def get_person(db, principal: Principal, person_id: str) -> dict:
    doc = find_readable(db, principal, person_id)
    return present(doc, _structure_names(db, [doc]))


def list_people(db, principal: Principal, args: dict) -> dict:
    if not (principal.is_staff or principal.is_national):
        raise Conflict("Only the federation's staff list people.", status=403)
    query = people_filter(principal.scope(args.get("federation")), args)
    found = paginate(db[PEOPLE], query, args, sort=[("name_sort", 1), ("_id", 1)], projection=PUBLIC)
    names = _structure_names(db, found["items"])
    found["items"] = [present(d, names) for d in found["items"]]
    return found


def _replace(tx: Tx, new: dict, expected_version: int) -> None:
    result = tx.db[PEOPLE].replace_one({"_id": new["_id"], "version": expected_version}, new, session=tx.session)
    if result.matched_count == 0:
        raise Conflict("The person changed meanwhile; read it again.", status=412)


def update_person(db, principal: Principal, person_id: str, changes: dict, expected_version: int) -> dict:
    current = find_readable(db, principal, person_id)
    if current.get("erased"):
        raise Conflict("This person was erased.", status=410)
    if not (principal.is_staff and principal.can_write(current["federation"])):
        # Yourself, within your federation: a national token whose `sub` is this person reads, never writes.
        if principal.sub != person_id or not principal.can_write(current["federation"]):
            raise Conflict("Only the federation's staff may change this person.", status=403)
        forbidden = sorted(set(changes) - rules.SELF_EDITABLE)
        if forbidden:
            raise Conflict(f"You may change only {', '.join(sorted(rules.SELF_EDITABLE))} on your own record.",
                           field=forbidden[0], status=403)
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    if not updates:
        return present(current, _structure_names(db, [current]))
    new = derived({**current, **updates, "version": expected_version + 1, "updated_at": now()})

    def work(tx: Tx) -> dict:
        _replace(tx, new, expected_version)
        _emit_person(tx, PERSON_UPDATED, new)
        return new

    return present(atomic(db, SOURCE, work), _structure_names(db, [new]))


def assign_role(db, principal: Principal, person_id: str, data: dict) -> dict:
    current = find_readable(db, principal, person_id)
    staff_of(principal, current["federation"])
    if current.get("erased"):
        raise Conflict("This person was erased.", status=410)
    role = _new_role(data)
    try:
        rules.check_no_duplicate_role(roles_of(current), role["role"], role["structure_id"], today())
    except rules.Refused as exc:
        raise Conflict(str(exc), field=exc.field) from None

    def work(tx: Tx) -> dict:
        doc = tx.db[PEOPLE].find_one({"_id": person_id}, session=tx.session)
        _structure_for_role(tx, doc["federation"], role["structure_id"])
        new = derived({**doc, "roles": [*doc.get("roles", []), *_roles_to_mongo([role])],
                       "version": doc["version"] + 1, "updated_at": now()})
        _replace(tx, new, doc["version"])
        _emit_role(tx, ROLE_ASSIGNED, new, role)
        _emit_person(tx, PERSON_UPDATED, new)
        return new

    doc = atomic(db, SOURCE, work)
    return present(doc, _structure_names(db, [doc]))


def end_role(db, principal: Principal, person_id: str, role_id: str, end_on=None) -> dict:
    current = find_readable(db, principal, person_id)
    staff_of(principal, current["federation"])
    end_on = end_on or today()

    def work(tx: Tx) -> dict:
        doc = tx.db[PEOPLE].find_one({"_id": person_id}, session=tx.session)
        roles = roles_of(doc)
        role = next((r for r in roles if r["id"] == role_id), None)
        if role is None:
            raise NotFound("role")
        try:
            rules.check_role_end(role, end_on)
        except rules.Refused as exc:
            raise Conflict(str(exc), field=exc.field) from None
        ended = {**role, "end_on": end_on}
        new = derived({**doc, "roles": _roles_to_mongo([ended if r["id"] == role_id else r for r in roles]),
                       "version": doc["version"] + 1, "updated_at": now()})
        _replace(tx, new, doc["version"])
        _emit_role(tx, ROLE_ENDED, new, ended)
        _emit_person(tx, PERSON_UPDATED, new)
        return new

    doc = atomic(db, SOURCE, work)
    return present(doc, _structure_names(db, [doc]))


def refresh_expired_roles(db, settings=None) -> int:
    """Scheduled: roles whose end date has come drop out of the `role=` / `structure_id=` filters.

    (`active_roles` is derived when a person is written; a role ended in advance expires later.)
    No event: the person's state did not change, their roles already carry the end date.
    """
    refreshed = 0
    for doc in db[PEOPLE].find({"erased": False, "roles.end_on": {"$lte": now()}}):
        fresh = derived(dict(doc))
        if (fresh["active_roles"], fresh["active_structure_ids"]) != (doc.get("active_roles"),
                                                                       doc.get("active_structure_ids")):
            db[PEOPLE].update_one({"_id": doc["_id"], "version": doc["version"]}, {"$set": {
                "active_roles": fresh["active_roles"], "active_structure_ids": fresh["active_structure_ids"]}})
            refreshed += 1
    return refreshed
