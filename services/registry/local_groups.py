"""Local groups of coordinators: their member structures and the federation staff who are their contacts.

A structure belongs to at most one local group: joining one leaves the previous one. Each membership
change bumps the group's version (the `sequence` of joined/left and local_group.updated) and the
structure's version (its `local_group_id`, in structure.updated); both sides are written by
`structures.leave_group_in_tx` / `set_group_in_tx`.
"""
from __future__ import annotations

import uuid

from services.registry import rules
from services.registry.access import SOURCE, listed, named_in_body, next_version
from services.registry.events import LOCAL_GROUP_CREATED, LOCAL_GROUP_UPDATED, STRUCTURE_JOINED_GROUP, emit_state
from services.registry.structures import leave_group_in_tx, set_group_in_tx
from services.registry.store import LOCAL_GROUPS, PEOPLE, STRUCTURES, group_filter
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.outbox import Tx, atomic
from shared.clock import now
from shared.errors import NotFound, RuleBroken
from shared.http.auth import Principal

STAFF_ONLY = "Seule l'équipe de la fédération peut modifier les groupes locaux."


def present(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "name_sort"} | {"label": doc.get("label"),
                                                                   "department": doc.get("department")}


def _check_contacts(tx: Tx, federation: str, person_ids: list[str]) -> None:
    for person_id in person_ids:
        named_in_body(tx, PEOPLE, person_id, federation, field="contact_person_ids", what="person",
                      query={"erased": False})


def _member_structure(tx: Tx, federation: str, structure_id: str, field: str = "structure_id") -> dict:
    structure = named_in_body(tx, STRUCTURES, structure_id, federation, field=field, what="structure")
    if structure.get("archived"):
        raise RuleBroken("Une structure archivée ne peut pas rejoindre un groupe local.", field=field)
    return structure


def _emit_joined(tx: Tx, group: dict, structure: dict) -> None:
    emit_state(tx, STRUCTURE_JOINED_GROUP, group, subject=structure["_id"], data={
        "structure_id": structure["_id"], "local_group_id": group["_id"], "federation": group["federation"]})


def _committed(db, work) -> dict:
    return present(atomic(db, SOURCE, work))


def create_group(db, principal: Principal, data: dict, *, group_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    require_manager(principal, federation, STAFF_ONLY)
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
        emit_state(tx, LOCAL_GROUP_CREATED, group)
        for structure in members:
            _emit_joined(tx, group, structure)
            set_group_in_tx(tx, structure, group["_id"])
        return group

    return _committed(db, work)


def get_group(db, principal: Principal, group_id: str) -> dict:
    return present(load_or_404(db, LOCAL_GROUPS, group_id, principal, what="local group"))


def list_groups(db, principal: Principal, args: dict) -> dict:
    query = group_filter(principal.scope(args.get("federation")), args)
    return listed(db, LOCAL_GROUPS, query, args, present)


def _managed(db, principal: Principal, group_id: str) -> dict:
    group = load_or_404(db, LOCAL_GROUPS, group_id, principal, what="local group")
    require_manager(principal, group["federation"], STAFF_ONLY)
    return group


def update_group(db, principal: Principal, group_id: str, changes: dict, expected_version: int) -> dict:
    current = _managed(db, principal, group_id)
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    if not updates:
        return present(current)
    new = {**current, **updates, "updated_at": now()}
    new["name_sort"] = rules.normalize(new["name"])

    def work(tx: Tx) -> dict:
        if "contact_person_ids" in updates:
            _check_contacts(tx, current["federation"], updates["contact_person_ids"])
        saved = replace_at_version(tx.db, LOCAL_GROUPS, new, expected_version, session=tx.session)
        emit_state(tx, LOCAL_GROUP_UPDATED, saved)
        return saved

    return _committed(db, work)


def join_group(db, principal: Principal, group_id: str, structure_id: str) -> dict:
    current = _managed(db, principal, group_id)

    def work(tx: Tx) -> dict:
        structure = _member_structure(tx, current["federation"], structure_id)
        if structure.get("local_group_id") == group_id:
            raise RuleBroken("La structure fait déjà partie de ce groupe.", field="structure_id")
        if structure.get("local_group_id"):
            leave_group_in_tx(tx, structure)
        group = tx.db[LOCAL_GROUPS].find_one({"_id": group_id}, session=tx.session)
        group = next_version(group, structure_ids=[*group["structure_ids"], structure_id])
        tx.db[LOCAL_GROUPS].replace_one({"_id": group_id}, group, session=tx.session)
        _emit_joined(tx, group, structure)
        emit_state(tx, LOCAL_GROUP_UPDATED, group)
        set_group_in_tx(tx, structure, group_id)
        return group

    return _committed(db, work)


def leave_group(db, principal: Principal, group_id: str, structure_id: str) -> dict:
    current = _managed(db, principal, group_id)

    def work(tx: Tx) -> dict:
        structure = tx.db[STRUCTURES].find_one({"_id": structure_id, "federation": current["federation"]},
                                               session=tx.session)
        if structure is None or structure.get("local_group_id") != group_id:
            raise NotFound("member structure")
        leave_group_in_tx(tx, structure)
        set_group_in_tx(tx, structure, None)
        return tx.db[LOCAL_GROUPS].find_one({"_id": group_id}, session=tx.session)

    return _committed(db, work)


def drop_contact_in_tx(tx: Tx, person_id: str) -> None:
    """An erased person is no longer anyone's contact."""
    for group in list(tx.db[LOCAL_GROUPS].find({"contact_person_ids": person_id}, session=tx.session)):
        group = next_version(group, contact_person_ids=[p for p in group["contact_person_ids"] if p != person_id])
        tx.db[LOCAL_GROUPS].replace_one({"_id": group["_id"]}, group, session=tx.session)
        emit_state(tx, LOCAL_GROUP_UPDATED, group)
