"""GDPR: erasure (anonymise, end roles, tell every projection to purge) and the export of one person."""
from __future__ import annotations

from services.registry import rules
from services.registry.access import SOURCE, next_version
from services.registry.events import PERSON_ERASED, emit_state
from services.registry.local_groups import drop_contact_in_tx
from services.registry.people import roles_to_mongo, derived, find_managed, find_readable, not_erased, present, roles_of
from services.registry.structures import present as present_structure
from services.registry.store import LOCAL_GROUPS, PEOPLE, STRUCTURES
from shared.bus.outbox import Tx, atomic
from shared.clock import now, today
from shared.dates import to_mongo
from shared.http.auth import Principal


def erase_person(db, principal: Principal, person_id: str) -> dict:
    """Anonymise the person, end their roles, drop them as a group contact, publish `person.erased`.

    Only `person.erased` is published about the person (no `updated` after it): every projection purges.
    """
    current = not_erased(find_managed(db, principal, person_id), "Cette personne a déjà été effacée.")
    on = today()
    ended_count = len([r for r in roles_of(current) if rules.role_open(r, on)])

    def work(tx: Tx) -> dict:
        doc = tx.db[PEOPLE].find_one({"_id": person_id}, session=tx.session)
        gone = rules.anonymised({**doc, "roles": roles_of(doc)}, on)
        gone = derived(next_version(gone, roles=roles_to_mongo(gone["roles"]), erased_on=to_mongo(on)))
        tx.db[PEOPLE].replace_one({"_id": person_id}, gone, session=tx.session)
        drop_contact_in_tx(tx, person_id)
        emit_state(tx, PERSON_ERASED, gone, {"id": person_id, "federation": gone["federation"]})
        return gone

    gone = atomic(db, SOURCE, work)
    return {"id": person_id, "erased": True, "erased_on": on, "roles_ended": ended_count, "person": gone}


def export_person(db, principal: Principal, person_id: str) -> dict:
    """Everything the registry holds on one person (right of access): staff, or the person themselves."""
    doc = find_readable(db, principal, person_id)
    structure_ids = sorted({r["structure_id"] for r in doc.get("roles", []) if r.get("structure_id")})
    structures = [present_structure(s) for s in db[STRUCTURES].find({"_id": {"$in": structure_ids}})]
    names = {s["_id"]: s["name"] for s in structures}
    groups = list(db[LOCAL_GROUPS].find({"contact_person_ids": person_id}, {"name": 1, "federation": 1}))
    changes = [{"structure_id": s["_id"], "structure_name": s["name"], **h}
               for s in db[STRUCTURES].find({"federation": doc["federation"], "status_history.by": person_id},
                                         {"name": 1, "status_history": 1})
               for h in s.get("status_history", []) if h.get("by") == person_id]
    return {
        "person": present(doc, names),
        "structures": [{"id": s["_id"], "name": s["name"], "kind": s["kind"], "city": s["city"]} for s in structures],
        "local_groups_contact_of": [{"id": g["_id"], "name": g["name"]} for g in groups],
        "changes_made": [{**c, "date": c["date"].date().isoformat() if hasattr(c["date"], "date") else c["date"]}
                         for c in changes],
        "exported_at": now(),
    }
