"""What the events service keeps of the registry: people, structures and local groups, projected from the
registry's full-state events, applied only when their `sequence` is newer (idempotent, never rolled back
by a late redelivery). An erasure leaves a tombstone no late event undoes, and purges the personal fields
of the person's registrations. `handlers.py` says which event feeds which function.
"""
from __future__ import annotations

from services.events.store import DECLINES, ERASED_PERSONAL_DATA, LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from shared.bus.outbox import Tx
from shared.projection import apply_if_newer, erase, single_upsert, upsert_if_newer

STRUCTURE_FIELDS = ("federation", "kind", "name", "city", "department", "status", "local_group_id", "archived")
PERSON_FIELDS = ("federation", "first_name", "last_name", "email", "phone", "may_email", "demo")
GROUP_FIELDS = ("federation", "name", "department", "structure_ids", "contact_person_ids")


@single_upsert
def on_structure(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    upsert_if_newer(tx, STRUCTURES, data["id"], envelope, {k: data.get(k) for k in STRUCTURE_FIELDS})


def on_person(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    roles = [{"structure_id": r.get("structure_id"), "role": r.get("role"), "start_on": r.get("start_on"),
              "end_on": r.get("end_on")} for r in data.get("roles") or []]
    fields = {**{k: data.get(k) for k in PERSON_FIELDS}, "roles": roles}
    if apply_if_newer(tx, PEOPLE, data["id"], envelope, fields):
        # Registrations show the person's current name and e-mail (what notifications will use).
        tx.db[REGISTRATIONS].update_many(
            {"person_id": data["id"]},
            {"$set": {"first_name": data.get("first_name"), "last_name": data.get("last_name"),
                      "email": data.get("email"), "may_email": bool(data.get("may_email"))}},
            session=tx.session)


def on_person_erased(envelope: dict, tx: Tx) -> None:
    """Always purge, whatever the sequence: an erasure is final."""
    person_id = envelope["data"]["id"]
    erase(tx, PEOPLE, person_id, envelope, keep={"federation": envelope["data"].get("federation")})
    tx.db[REGISTRATIONS].update_many({"person_id": person_id}, {"$set": ERASED_PERSONAL_DATA}, session=tx.session)
    tx.db[DECLINES].delete_many({"person_id": person_id}, session=tx.session)


@single_upsert
def on_local_group(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    fields = {k: data.get(k) for k in GROUP_FIELDS}
    fields["structure_ids"] = list(fields.get("structure_ids") or [])
    fields["contact_person_ids"] = list(fields.get("contact_person_ids") or [])
    upsert_if_newer(tx, LOCAL_GROUPS, data["id"], envelope, fields)
