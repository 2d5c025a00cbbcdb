"""Is one of a person's roles in an event's audience? The rule events (who may register) and
notifications (who is invited) both apply, in one place."""
from __future__ import annotations

import datetime as dt

from shared.roles import role_active_on


def role_matches(role: dict, day: dt.date, *, roles: set, kinds: set, groups_given: bool,
                 group_structures: set, structures: dict) -> bool:
    """Active on `day` and matching every dimension given: one of the `roles`, at a live structure
    (not archived nor erased) of one of the `kinds`, in one of the targeted groups (`group_structures`)."""
    if not role_active_on(role, day) or (roles and role.get("role") not in roles):
        return False
    if groups_given or kinds:
        structure = structures.get(role.get("structure_id") or "")
        if structure is None or structure.get("archived") or structure.get("deleted"):
            return False
        if groups_given and role["structure_id"] not in group_structures:
            return False
        if kinds and structure.get("kind") not in kinds:
            return False
    return True
