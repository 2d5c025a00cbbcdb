"""What training consumes: the registry's people and structures, kept as a local projection.

Applied only when newer (`sequence`), idempotent (the consumer records processed ids). An erasure
purges the person and the personal fields of their applications, learner records and certificates;
anonymous records stay so the figures still add up.
"""
from __future__ import annotations

from services.training import rules
from services.training.store import APPLICATIONS, CERTIFICATES, COHORTS, LEARNERS, PEOPLE, SEMINARS, STRUCTURES
from shared.bus.outbox import Tx
from shared.projection import apply_if_newer

PERSON_FIELDS = ("federation", "first_name", "last_name", "email", "may_email", "demo", "roles")
STRUCTURE_FIELDS = ("federation", "kind", "name", "city", "department", "status", "local_group_id", "archived")


def on_person(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    fields = {k: data.get(k) for k in PERSON_FIELDS}
    fields["roles"] = [{"structure_id": r.get("structure_id"), "role": r.get("role"), "start_on": r.get("start_on"),
                        "end_on": r.get("end_on")} for r in data.get("roles") or []]
    fields["last_name_sort"] = rules.normalize(data.get("last_name") or "")
    apply_if_newer(tx, PEOPLE, data["id"], envelope, fields)


def on_structure(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    apply_if_newer(tx, STRUCTURES, data["id"], envelope, {k: data.get(k) for k in STRUCTURE_FIELDS})


def on_person_erased(envelope: dict, tx: Tx) -> None:
    """Erasure always wins, whatever order events arrive in: the tombstone keeps the highest sequence."""
    person_id = envelope["data"]["id"]
    held = tx.db[PEOPLE].find_one({"_id": person_id}, {"sequence": 1}, session=tx.session)
    sequence = max(envelope["sequence"], (held or {}).get("sequence", -1))
    tx.db[PEOPLE].replace_one({"_id": person_id}, {"_id": person_id, "sequence": sequence, "deleted": True},
                              upsert=True, session=tx.session)
    erase_personal_data(tx, person_id)


def erase_personal_data(tx: Tx, person_id: str) -> None:
    for doc in tx.db[APPLICATIONS].find({"person_id": person_id}, {"scores": 1}, session=tx.session):
        scores = [{**s, "comment": None} for s in doc.get("scores", [])]
        tx.db[APPLICATIONS].update_one({"_id": doc["_id"]}, {"$set": {
            "person_id": f"erased:{doc['_id']}", "erased": True, "motivation": None, "scores": scores}},
            session=tx.session)
    for doc in tx.db[LEARNERS].find({"person_id": person_id}, {"_id": 1}, session=tx.session):
        tx.db[LEARNERS].update_one({"_id": doc["_id"]}, {"$set": {"person_id": f"erased:{doc['_id']}", "erased": True}},
                                   session=tx.session)
    # Trainers are kept on cohorts and seminars by name: the role stays, the person goes.
    for collection in (COHORTS, SEMINARS):
        for doc in tx.db[collection].find({"trainers.person_id": person_id}, {"trainers": 1}, session=tx.session):
            trainers = [{"person_id": None, "name": "Formateur·rice (données effacées)", "email": None}
                        if t.get("person_id") == person_id else t for t in doc["trainers"]]
            tx.db[collection].update_one({"_id": doc["_id"]}, {"$set": {"trainers": trainers}}, session=tx.session)
    tx.db[CERTIFICATES].update_many({"person_id": person_id}, {"$set": {"holder_name": None, "erased": True},
                                                               "$unset": {"person_id": ""}}, session=tx.session)


HANDLERS = {
    "registry.person.registered": on_person,
    "registry.person.updated": on_person,
    "registry.person.erased": on_person_erased,
    "registry.structure.registered": on_structure,
    "registry.structure.updated": on_structure,
}
