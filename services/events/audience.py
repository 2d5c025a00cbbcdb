"""Who an event is for: its `audience` (local groups, kinds of structure, roles), read against this
service's copy of the registry. Plain functions: no Flask, Mongo or RabbitMQ.

The same reading as the invitations sent by notifications: a person is in the audience when one of their
roles active today (`shared.roles.role_active_on`: from its start day, until the day before its end) matches
every dimension given (the structure is in one of the local groups, of one of the kinds, the role one of
the roles); a targeted group's contact people are in it too. An empty audience is everyone of the federation.
"""
from __future__ import annotations

import datetime as dt

from shared.audience import role_matches


def is_open_to_all(audience: dict | None) -> bool:
    audience = audience or {}
    return not (audience.get("local_group_ids") or audience.get("structure_kinds") or audience.get("roles"))


def in_audience(person: dict, audience: dict | None, structures: dict, local_groups: dict, today: dt.date) -> bool:
    """`structures` / `local_groups`: the projection's documents by id (those the person's roles name)."""
    if is_open_to_all(audience):
        return True
    groups = list(audience.get("local_group_ids") or [])
    kinds = set(audience.get("structure_kinds") or [])
    roles = set(audience.get("roles") or [])
    group_structures: set[str] = set()
    for gid in groups:
        group = local_groups.get(gid) or {}
        if person.get("_id") in (group.get("contact_person_ids") or []):
            return True
        group_structures.update(group.get("structure_ids") or [])
    group_structures.update(sid for sid, s in structures.items() if s.get("local_group_id") in groups)

    return any(role_matches(r, today, roles=roles, kinds=kinds, groups_given=bool(groups),
                            group_structures=group_structures, structures=structures)
               for r in person.get("roles") or [])


def describe(audience: dict, group_names: dict) -> str:
    """What the audience is, for a refusal: "local group 44 est; structures MSP, CPTS; roles coordinator"."""
    parts = []
    if audience.get("local_group_ids"):
        parts.append("groupe local " + ", ".join(group_names.get(g) or g for g in audience["local_group_ids"]))
    if audience.get("structure_kinds"):
        parts.append("structures " + ", ".join(audience["structure_kinds"]))
    if audience.get("roles"):
        parts.append("rôles " + ", ".join(audience["roles"]))
    return "; ".join(parts)
