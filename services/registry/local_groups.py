"""Local groups of coordinators: their member structures and the federation staff who are their contacts.

A structure belongs to at most one local group: joining one leaves the previous one. Each membership
change bumps the group's version (the `sequence` of joined/left and local_group.updated) and the
structure's version (its `local_group_id`, in structure.updated).
"""
from __future__ import annotations

import uuid

from services.registry import rules
from services.registry.dates import now
from services.registry.events import (
    LOCAL_GROUP_CREATED, LOCAL_GROUP_UPDATED, STRUCTURE_JOINED_GROUP, STRUCTURE_LEFT_GROUP,
)
from services.registry.service import SOURCE, derived, emit_updated
from services.registry.store import LOCAL_GROUPS, PEOPLE, STRUCTURES, group_filter
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate


def present(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "name_sort"} | {"label": doc.get("label"),
                                                                   "department": doc.get("department")}


def _emit_group(tx: Tx, event, group: dict) -> None:
    tx.emit(event, subject=group["_id"], data=present(group), sequence=group["version"],
            federation=group["federation"])


def _find_group(db, principal: Principal, group_id: str, session=None) -> dict:
    doc = db[LOCAL_GROUPS].find_one({"_id": group_id}, session=session)
    if doc is None or not principal.can_read(doc["federation"]):
        raise NotFound("local group")
    return doc


def _staff_of(principal: Principal, federation: str, what: str = "local groups") -> None:
    if not (principal.is_staff and principal.can_write(federation)):
        raise Conflict(f"Only the federation's staff may change {what}.", status=403)


def _check_contacts(tx: Tx, federation: str, person_ids: list[str]) -> None:
    for person_id in person_ids:
        person = tx.db[PEOPLE].find_one({"_id": person_id, "federation": federation, "erased": False},
                                        {"_id": 1}, session=tx.session)
        if person is None:
            raise Conflict(f"No person {person_id} in this federation.", field="contact_person_ids", status=422)


def _bump(group: dict, **changes) -> dict:
    return {**group, **changes, "version": group["version"] + 1, "updated_at": now()}


def leave_group_in_tx(tx: Tx, structure: dict) -> None:
    """The structure leaves its current group (events: left_group + local_group.updated)."""
    group = tx.db[LOCAL_GROUPS].find_one({"_id": structure["local_group_id"]}, session=tx.session)
    if group is None:
        return
    group = _bump(group, structure_ids=[s for s in group["structure_ids"] if s != structure["_id"]])
    tx.db[LOCAL_GROUPS].replace_one({"_id": group["_id"]}, group, session=tx.session)
    tx.emit(STRUCTURE_LEFT_GROUP, subject=structure["_id"], sequence=group["version"],
            federation=group["federation"],
            data={"structure_id": structure["_id"], "local_group_id": group["_id"], "federation": group["federation"]})
    _emit_group(tx, LOCAL_GROUP_UPDATED, group)


def _set_structure_group(tx: Tx, structure: dict, group_id: str | None) -> None:
    new = derived({**structure, "local_group_id": group_id, "version": structure["version"] + 1,
                   "updated_at": now()})
    tx.db[STRUCTURES].replace_one({"_id": structure["_id"]}, new, session=tx.session)
    emit_updated(tx, new, {"local_group_id"})


def _member_structure(tx: Tx, federation: str, structure_id: str, field: str = "structure_id") -> dict:
    structure = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
    if structure is None or structure["federation"] != federation:
        raise Conflict(f"No structure {structure_id} in this federation.", field=field, status=422)
    if structure.get("archived"):
        raise Conflict("An archived structure cannot join a local group.", field=field)
    return structure


def create_group(db, principal: Principal, data: dict, *, group_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    _staff_of(principal, federation)
    structure_ids = data.pop("structure_ids", None) or []
    stamp = now()
    group = {"_id": group_id or str(uuid.uuid4()), "federation": federation, "label": None, "department": None,
             **data, "contact_person_ids": data.get("contact_person_ids") or [], "structure_ids": structure_ids,
             "version": 1, "created_at": stamp, "updated_at": stamp, "name_sort": rules.normalize(data["name"])}

    def work(tx: Tx) -> dict:
        _check_contacts(tx, federation, group["contact_person_ids"])
        members = [_member_structure(tx, federation, sid, "structure_ids") for sid in structure_ids]
        for structure in members:  # each leaves its previous group first
            if structure.get("local_group_id"):
                leave_group_in_tx(tx, structure)
        tx.db[LOCAL_GROUPS].insert_one(group, session=tx.session)
        _emit_group(tx, LOCAL_GROUP_CREATED, group)
        for structure in members:
            tx.emit(STRUCTURE_JOINED_GROUP, subject=structure["_id"], sequence=group["version"],
                    federation=federation,
                    data={"structure_id": structure["_id"], "local_group_id": group["_id"], "federation": federation})
            _set_structure_group(tx, structure, group["_id"])
        return group

    return present(atomic(db, SOURCE, work))


def get_group(db, principal: Principal, group_id: str) -> dict:
    return present(_find_group(db, principal, group_id))


def list_groups(db, principal: Principal, args: dict) -> dict:
    query = group_filter(principal.scope(args.get("federation")), args)
    found = paginate(db[LOCAL_GROUPS], query, args, sort=[("name_sort", 1), ("_id", 1)])
    found["items"] = [present(d) for d in found["items"]]
    return found


def update_group(db, principal: Principal, group_id: str, changes: dict, expected_version: int) -> dict:
    current = _find_group(db, principal, group_id)
    _staff_of(principal, current["federation"])
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    if not updates:
        return present(current)
    new = _bump(current, **updates)
    new["version"] = expected_version + 1
    new["name_sort"] = rules.normalize(new["name"])

    def work(tx: Tx) -> dict:
        if "contact_person_ids" in updates:
            _check_contacts(tx, current["federation"], updates["contact_person_ids"])
        result = tx.db[LOCAL_GROUPS].replace_one({"_id": group_id, "version": expected_version}, new,
                                                 session=tx.session)
        if result.matched_count == 0:
            raise Conflict("The local group changed meanwhile; read it again.", status=412)
        _emit_group(tx, LOCAL_GROUP_UPDATED, new)
        return new

    return present(atomic(db, SOURCE, work))


def join_group(db, principal: Principal, group_id: str, structure_id: str) -> dict:
    current = _find_group(db, principal, group_id)
    _staff_of(principal, current["federation"])

    def work(tx: Tx) -> dict:
        structure = _member_structure(tx, current["federation"], structure_id)
        if structure.get("local_group_id") == group_id:
            raise Conflict("The structure is already a member of this group.", field="structure_id")
        if structure.get("local_group_id"):
            leave_group_in_tx(tx, structure)
        group = tx.db[LOCAL_GROUPS].find_one({"_id": group_id}, session=tx.session)
        group = _bump(group, structure_ids=[*group["structure_ids"], structure_id])
        tx.db[LOCAL_GROUPS].replace_one({"_id": group_id}, group, session=tx.session)
        tx.emit(STRUCTURE_JOINED_GROUP, subject=structure_id, sequence=group["version"],
                federation=group["federation"],
                data={"structure_id": structure_id, "local_group_id": group_id, "federation": group["federation"]})
        _emit_group(tx, LOCAL_GROUP_UPDATED, group)
        _set_structure_group(tx, structure, group_id)
        return group

    return present(atomic(db, SOURCE, work))


def leave_group(db, principal: Principal, group_id: str, structure_id: str) -> dict:
    current = _find_group(db, principal, group_id)
    _staff_of(principal, current["federation"])

    def work(tx: Tx) -> dict:
        structure = tx.db[STRUCTURES].find_one({"_id": structure_id, "federation": current["federation"]},
                                               session=tx.session)
        if structure is None or structure.get("local_group_id") != group_id:
            raise NotFound("member structure")
        leave_group_in_tx(tx, structure)
        _set_structure_group(tx, structure, None)
        return tx.db[LOCAL_GROUPS].find_one({"_id": group_id}, session=tx.session)

    return present(atomic(db, SOURCE, work))


def drop_contact_in_tx(tx: Tx, person_id: str) -> None:
    """An erased person is no longer anyone's contact."""
    for group in list(tx.db[LOCAL_GROUPS].find({"contact_person_ids": person_id}, session=tx.session)):
        group = _bump(group, contact_person_ids=[p for p in group["contact_person_ids"] if p != person_id])
        tx.db[LOCAL_GROUPS].replace_one({"_id": group["_id"]}, group, session=tx.session)
        _emit_group(tx, LOCAL_GROUP_UPDATED, group)
