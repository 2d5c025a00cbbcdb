"""What the ids of an event body must name: the organizing federation's local groups, structures and
people in this service's copy of the registry (`projection.py`), and its own event series.

Unknown, or of another federation: 422 naming the field ("not known yet, retry later").
"""
from __future__ import annotations

from services.events.store import EVENTS, LOCAL_GROUPS, PEOPLE, STRUCTURES
from shared.errors import Invalid
from shared.references import Ref, require_all_known

LOCAL_GROUP = Ref(LOCAL_GROUPS, "local group")
STRUCTURE = Ref(STRUCTURES, "structure")
PERSON = Ref(PEOPLE, "person")


def _event_checks(data: dict) -> list[tuple]:
    audience = data.get("audience") or {}
    facilitation = data.get("facilitation") or {}
    return [
        ("local_group_id", LOCAL_GROUP, data.get("local_group_id")),
        ("audience.local_group_ids", LOCAL_GROUP, audience.get("local_group_ids")),
        ("host_structure_id", STRUCTURE, data.get("host_structure_id")),
        ("facilitation.structure_ids", STRUCTURE, facilitation.get("structure_ids")),
        ("facilitation.facilitator_ids", PERSON, facilitation.get("facilitator_ids")),
        ("facilitation.territorial_coordinator_id", PERSON, facilitation.get("territorial_coordinator_id")),
        ("organizer_ids", PERSON, data.get("organizer_ids")),
    ]


def check_event_references(db, federation: str, data: dict, current: dict | None = None) -> None:
    """Every id `data` (a creation, a change, a next meeting) gives must be of `federation`.

    On a change, only the values that change are checked: what the event already holds was checked
    when it was set (a structure archived since does not block changing the title).
    """
    checks = _event_checks(data)
    if current is not None:
        before = {field: ids for field, _, ids in _event_checks(current)}
        checks = [(field, ref, _new_ids(ids, before.get(field))) for field, ref, ids in checks]
    require_all_known(db, federation, checks)
    series_id = data.get("series_id")
    if series_id and series_id != (current or {}).get("series_id"):
        _check_series(db, federation, series_id)


def _new_ids(ids, held):
    """The ids a change adds to what the event held (a list field), or the new value (a single id)."""
    if isinstance(ids, list):
        return [i for i in ids if i not in (held or [])]
    return ids if ids != held else None


def _check_series(db, federation: str, series_id: str) -> None:
    known = db[EVENTS].find_one({"federation": federation, "$or": [{"_id": series_id}, {"series_id": series_id}]},
                                {"_id": 1})
    if known is None:
        raise Invalid(f"La série `{series_id}` n'existe pas dans {federation} : une série porte l'identifiant de sa "
                      "première rencontre.", field="series_id")


def check_registrant(db, federation: str, person_id: str) -> None:
    require_all_known(db, federation, [("person_id", PERSON, person_id)])
