"""What training keeps of the registry: its people and structures, fed by the registry's events (never
asked over HTTP), and how use cases read them.

Applied only when newer (`sequence`), which makes them idempotent: each is one conditional upsert
(`single_upsert`), written without a transaction. An erasure leaves a tombstone no late event can undo,
and purges the person's personal fields from applications, learner records and certificates; anonymous
records stay so the figures still add up.
"""
from __future__ import annotations

from services.training import rules
from services.training.store import APPLICATIONS, CERTIFICATES, COHORTS, LEARNERS, PEOPLE, SEMINARS, STRUCTURES
from shared.bus.outbox import Tx
from shared.projection import erase, is_erased, single_upsert, upsert_if_newer
from shared.references import Ref, require_known

PERSON_FIELDS = ("federation", "first_name", "last_name", "email", "may_email", "demo", "roles")
STRUCTURE_FIELDS = ("federation", "kind", "name", "city", "department", "status", "local_group_id", "archived")
ERASED_TRAINER = {"person_id": None, "name": "Formateur·rice (données effacées)", "email": None}

# What the ids of a training body may name, in this copy of the registry.
PERSON = Ref(PEOPLE, "person")
STRUCTURE = Ref(STRUCTURES, "structure")


# --- applied from the registry's events -------------------------------------------------------------

@single_upsert
def on_person(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    fields = {k: data.get(k) for k in PERSON_FIELDS}
    fields["roles"] = [{"structure_id": r.get("structure_id"), "role": r.get("role"), "start_on": r.get("start_on"),
                        "end_on": r.get("end_on")} for r in data.get("roles") or []]
    fields["last_name_sort"] = rules.normalize(data.get("last_name") or "")
    upsert_if_newer(tx, PEOPLE, data["id"], envelope, fields)


@single_upsert
def on_structure(envelope: dict, tx: Tx) -> None:
    data = envelope["data"]
    upsert_if_newer(tx, STRUCTURES, data["id"], envelope, {k: data.get(k) for k in STRUCTURE_FIELDS})


def on_person_erased(envelope: dict, tx: Tx) -> None:
    """Erasure always wins, whatever order events arrive in."""
    person_id = envelope["data"]["id"]
    erase(tx, PEOPLE, person_id, envelope)
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
            trainers = [ERASED_TRAINER if t.get("person_id") == person_id else t for t in doc["trainers"]]
            tx.db[collection].update_one({"_id": doc["_id"]}, {"$set": {"trainers": trainers}}, session=tx.session)
    tx.db[CERTIFICATES].update_many({"person_id": person_id}, {"$set": {"holder_name": None, "erased": True},
                                                               "$unset": {"person_id": ""}}, session=tx.session)


# --- read by the use cases ----------------------------------------------------------------------------

def _live(db, collection: str, key: str | None, session=None) -> dict | None:
    doc = db[collection].find_one({"_id": key}, session=session) if key else None
    return None if doc is None or doc.get("deleted") or is_erased(doc) else doc


def person(db, person_id: str | None, session=None) -> dict | None:
    return _live(db, PEOPLE, person_id, session)


def structure(db, structure_id: str | None, session=None) -> dict | None:
    return _live(db, STRUCTURES, structure_id, session)


def person_ref(db, person_id: str | None, session=None) -> dict:
    """A person as events and lists show them: enough to write to them, nothing more."""
    doc = person(db, person_id, session)
    if doc is None:
        return {"id": person_id or "", "first_name": None, "last_name": None, "email": None, "may_email": False}
    return {"id": doc["_id"], "first_name": doc.get("first_name"), "last_name": doc.get("last_name"),
            "email": doc.get("email"), "may_email": bool(doc.get("may_email")) and bool(doc.get("email"))}


def structure_ref(db, structure_id: str | None, session=None) -> dict | None:
    if not structure_id:
        return None
    doc = structure(db, structure_id, session)
    if doc is None:
        return {"id": structure_id, "name": None, "kind": None, "city": None}
    return {"id": doc["_id"], "name": doc.get("name"), "kind": doc.get("kind"), "city": doc.get("city")}


def full_name(ref: dict) -> str | None:
    parts = [p for p in (ref.get("first_name"), ref.get("last_name")) if p]
    return " ".join(parts) or None


def trainers_from(db, trainers: list[dict], federation: str) -> list[dict]:
    """Trainers as given ({person_id} of the federation's registry, or just a name), named from the projection.

    A person_id must be a person of the cohort's federation that this service knows: else 422 (`trainers`),
    "not known yet, retry later" — another federation's person included (their name is never shown).
    """
    require_known(db, PERSON, [t.get("person_id") for t in trainers], federation, field="trainers")
    out = []
    for t in trainers:
        ref = person_ref(db, t.get("person_id")) if person(db, t.get("person_id")) else {}
        out.append({"person_id": t.get("person_id"), "name": full_name(ref) or t.get("name"),
                    "email": ref.get("email") if ref.get("may_email") else None})
    return out
