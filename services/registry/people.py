"""People and their roles: coordinators, leaders, co-gérants, professionals, facilitators, federation staff.

A person's `version` is the `sequence` of every event about them; `person.registered` / `person.updated`
carry their full state, roles included. Assigning or ending a role also emits `role.assigned` /
`role.ended`. The GDPR erasure is in `gdpr.py`.
"""
from __future__ import annotations

import uuid

from services.registry import rules
from services.registry.access import SOURCE, Gone, named_in_body, require_staff_reader
from services.registry.events import PERSON_REGISTERED, PERSON_UPDATED, ROLE_ASSIGNED, ROLE_ENDED, emit_state
from services.registry.store import PEOPLE, PUBLIC, STRUCTURES, people_filter
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.outbox import Tx, atomic
from shared.clock import now, today
from shared.dates import as_date, to_mongo
from shared.errors import Forbidden, NotFound, RuleBroken
from shared.http.auth import Principal
from shared.http.pagination import paginate
from shared.roles import role_active_on

PERSON_DEFAULTS = {"email": None, "phone": None, "rpps": None, "may_email": True, "demo": False, "profession": None,
                   "employment_status": None, "weekly_coordination_hours": None, "coordination_mode": None,
                   "facilitator_departments": [], "roles": [], "erased": False, "erased_on": None}


# --- Shapes ------------------------------------------------------------------------------------------

def roles_of(doc: dict) -> list[dict]:
    """The person's roles with dates as dates (what rules work on)."""
    return [{**r, "start_on": as_date(r["start_on"]), "end_on": as_date(r.get("end_on"))}
            for r in doc.get("roles", [])]


def roles_to_mongo(roles: list[dict]) -> list[dict]:
    return [{**r, "start_on": to_mongo(r["start_on"]), "end_on": to_mongo(r.get("end_on"))} for r in roles]


def derived(doc: dict) -> dict:
    on = today()
    active = [r for r in roles_of(doc) if role_active_on(r, on)]
    doc["name_sort"] = rules.normalize(f"{doc['last_name']} {doc['first_name']}")
    doc["search_prefixes"] = [] if doc.get("erased") else rules.search_prefixes(
        doc["first_name"], doc["last_name"], (doc.get("email") or "").replace("@", " "))
    doc["active_roles"] = sorted({r["role"] for r in active})
    doc["active_structure_ids"] = sorted({r["structure_id"] for r in active if r.get("structure_id")})
    return doc


def present(doc: dict, structure_names: dict | None = None) -> dict:
    out = {**PERSON_DEFAULTS, **{k: v for k, v in doc.items() if k not in PUBLIC}}
    on = today()
    out["roles"] = [{**r, "active": role_active_on(r, on),
                     "structure_name": (structure_names or {}).get(r.get("structure_id"))}
                    for r in roles_of(doc)]
    out["erased_on"] = as_date(doc.get("erased_on"))
    return out


def event_data(doc: dict) -> dict:
    return {**present(doc), "roles": [{k: r[k] for k in ("id", "structure_id", "role", "start_on", "end_on")}
                                      for r in roles_of(doc)]}


def _save_roles(tx: Tx, doc: dict, roles: list[dict], event, role: dict) -> dict:
    """The person with `roles`, at the next version; `event` (role.assigned / role.ended) about `role`, then
    the person's full state."""
    new = replace_at_version(tx.db, PEOPLE, derived({**doc, "roles": roles_to_mongo(roles), "updated_at": now()}),
                             doc["version"], session=tx.session)
    emit_state(tx, event, new, {"person_id": new["_id"], "role_id": role["id"], "role": role["role"],
                                "structure_id": role.get("structure_id"), "start_on": as_date(role["start_on"]),
                                "end_on": as_date(role.get("end_on")), "federation": new["federation"]})
    emit_state(tx, PERSON_UPDATED, new, event_data(new))
    return new


def structure_names(db, docs: list[dict]) -> dict:
    ids = {r.get("structure_id") for d in docs for r in d.get("roles", []) if r.get("structure_id")}
    if not ids:
        return {}
    return {s["_id"]: s["name"] for s in db[STRUCTURES].find({"_id": {"$in": sorted(ids)}}, {"name": 1})}


# --- Access ------------------------------------------------------------------------------------------

def find_readable(db, principal: Principal, person_id: str) -> dict:
    """Staff of the person's federation and national roles read people; anyone reads themselves."""
    doc = load_or_404(db, PEOPLE, person_id, principal, what="person")
    if principal.sub != person_id:
        require_staff_reader(principal, "Seule l'équipe de la fédération consulte les fiches des autres personnes.")
    return doc


def find_managed(db, principal: Principal, person_id: str) -> dict:
    """A person the caller may read and whose federation they manage."""
    doc = find_readable(db, principal, person_id)
    require_manager(principal, doc["federation"])
    return doc


def not_erased(doc: dict, detail: str = "Cette personne a été effacée.") -> dict:
    if doc.get("erased"):
        raise Gone(detail)
    return doc


def _structure_for_role(tx: Tx, federation: str, structure_id: str | None) -> None:
    if structure_id is not None and named_in_body(tx, STRUCTURES, structure_id, federation, field="structure_id",
                                                  what="structure").get("archived"):
        raise RuleBroken("La structure est archivée.", field="structure_id")


def _new_role(data: dict) -> dict:
    return {"id": uuid.uuid4().hex[:12], "structure_id": data.get("structure_id"), "role": data["role"],
            "start_on": data.get("start_on") or today(), "end_on": None}


# --- Use cases ---------------------------------------------------------------------------------------

def register_person(db, principal: Principal, data: dict, *, person_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    require_manager(principal, federation)
    roles: list[dict] = []
    for request in data.pop("roles", None) or []:
        rules.check_no_duplicate_role(roles, request["role"], request.get("structure_id"), today(), field="roles")
        roles.append(_new_role(request))
    stamp = now()
    doc = {"_id": person_id or str(uuid.uuid4()), "federation": federation, **PERSON_DEFAULTS,
           **{k: v for k, v in data.items() if v is not None}, "roles": roles_to_mongo(roles),
           "version": 1, "created_at": stamp, "updated_at": stamp}
    derived(doc)

    def work(tx: Tx) -> dict:
        for role in roles:
            _structure_for_role(tx, federation, role["structure_id"])
        tx.db[PEOPLE].insert_one(doc, session=tx.session)
        emit_state(tx, PERSON_REGISTERED, doc, event_data(doc))
        return doc

    return _shown(db, atomic(db, SOURCE, work))


def _shown(db, doc: dict) -> dict:
    return present(doc, structure_names(db, [doc]))


def get_person(db, principal: Principal, person_id: str) -> dict:
    return _shown(db, find_readable(db, principal, person_id))


def list_people(db, principal: Principal, args: dict) -> dict:
    require_staff_reader(principal, "Seule l'équipe de la fédération peut lister les personnes.")
    query = people_filter(principal.scope(args.get("federation")), args)
    found = paginate(db[PEOPLE], query, args, sort=[("name_sort", 1), ("_id", 1)], projection=PUBLIC)
    names = structure_names(db, found["items"])
    found["items"] = [present(d, names) for d in found["items"]]
    return found


def update_person(db, principal: Principal, person_id: str, changes: dict, expected_version: int) -> dict:
    current = not_erased(find_readable(db, principal, person_id))
    if not principal.manages(current["federation"]):
        # Yourself, within your federation: a national token whose `sub` is this person reads, never writes.
        if principal.sub != person_id or not principal.can_write(current["federation"]):
            raise Forbidden("Seule l'équipe de la fédération peut modifier cette personne.")
        forbidden = sorted(set(changes) - rules.SELF_EDITABLE)
        if forbidden:
            raise Forbidden(f"Sur votre propre fiche, vous ne pouvez modifier que {', '.join(sorted(rules.SELF_EDITABLE))}.",
                            field=forbidden[0])
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    if not updates:
        return _shown(db, current)
    new = derived({**current, **updates, "updated_at": now()})

    def work(tx: Tx) -> dict:
        saved = replace_at_version(tx.db, PEOPLE, new, expected_version, session=tx.session)
        emit_state(tx, PERSON_UPDATED, saved, event_data(saved))
        return saved

    return _shown(db, atomic(db, SOURCE, work))


def assign_role(db, principal: Principal, person_id: str, data: dict) -> dict:
    current = not_erased(find_managed(db, principal, person_id))
    role = _new_role(data)
    rules.check_no_duplicate_role(roles_of(current), role["role"], role["structure_id"], today())

    def work(tx: Tx) -> dict:
        doc = tx.db[PEOPLE].find_one({"_id": person_id}, session=tx.session)
        _structure_for_role(tx, doc["federation"], role["structure_id"])
        return _save_roles(tx, doc, [*roles_of(doc), role], ROLE_ASSIGNED, role)

    return _shown(db, atomic(db, SOURCE, work))


def end_role(db, principal: Principal, person_id: str, role_id: str, end_on=None) -> dict:
    find_managed(db, principal, person_id)
    end_on = end_on or today()

    def work(tx: Tx) -> dict:
        doc = tx.db[PEOPLE].find_one({"_id": person_id}, session=tx.session)
        roles = roles_of(doc)
        role = next((r for r in roles if r["id"] == role_id), None)
        if role is None:
            raise NotFound("role")
        rules.check_role_end(role, end_on)
        ended = {**role, "end_on": end_on}
        return _save_roles(tx, doc, [ended if r["id"] == role_id else r for r in roles], ROLE_ENDED, ended)

    return _shown(db, atomic(db, SOURCE, work))


def refresh_active_roles(db, settings=None) -> int:
    """Scheduled: roles whose start or end date has come enter or leave the `role=` / `structure_id=` filters.

    (`active_roles` is derived when a person is written; a role dated in advance starts or ends later.)
    No event: the person's state did not change, their roles already carry their dates.
    """
    refreshed = 0
    for doc in db[PEOPLE].find({"erased": False, "roles.start_on": {"$lte": now()}}):
        fresh = derived(dict(doc))
        if (fresh["active_roles"], fresh["active_structure_ids"]) != (doc.get("active_roles"),
                                                                       doc.get("active_structure_ids")):
            db[PEOPLE].update_one({"_id": doc["_id"], "version": doc["version"]}, {"$set": {
                "active_roles": fresh["active_roles"], "active_structure_ids": fresh["active_structure_ids"]}})
            refreshed += 1
    return refreshed
