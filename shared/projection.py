"""Local projections of another service's aggregates, fed by its events (event-carried state transfer).

An event is applied only if its `sequence` is newer than what the projection holds, so redelivered
or out-of-order events never roll a projection back.
"""
from __future__ import annotations

from shared.bus.outbox import Tx


def apply_if_newer(tx: Tx, collection: str, key: str, envelope: dict, fields: dict) -> bool:
    """Upsert `fields` for `key` when the envelope's sequence is newer; returns whether it applied.

    (A read-then-write inside the transaction: a duplicate-key error would abort the transaction,
    and concurrent writers get a WriteConflict that the transaction retries.)
    """
    sequence = envelope["sequence"]
    held = tx.db[collection].find_one({"_id": key}, {"sequence": 1, "erased": 1}, session=tx.session)
    if held is not None and (held.get("erased") or held.get("sequence", -1) >= sequence):
        return False
    tx.db[collection].update_one({"_id": key}, {"$set": {**fields, "sequence": sequence}}, upsert=True,
                                 session=tx.session)
    return True


def erase(tx: Tx, collection: str, key: str, envelope: dict, keep: dict | None = None) -> None:
    """Personal data gone for good: an erasure tombstone (plus the `keep` fields, e.g. the federation),
    whatever the sequence, that no later or replayed event can bring back (see apply_if_newer)."""
    held = tx.db[collection].find_one({"_id": key}, {"sequence": 1}, session=tx.session)
    sequence = max(envelope.get("sequence") or 0, (held or {}).get("sequence", 0))
    tx.db[collection].replace_one({"_id": key}, {"_id": key, **(keep or {}), "sequence": sequence, "erased": True,
                                                 "deleted": True}, upsert=True, session=tx.session)


def is_erased(doc: dict | None) -> bool:
    return bool(doc and doc.get("erased"))


def remove_if_newer(tx: Tx, collection: str, key: str, envelope: dict) -> bool:
    """Replace the projection by a tombstone (keeps the sequence, drops the data)."""
    sequence = envelope["sequence"]
    held = tx.db[collection].find_one({"_id": key}, {"sequence": 1}, session=tx.session)
    if held is not None and held.get("sequence", -1) >= sequence:
        return False
    tx.db[collection].replace_one({"_id": key}, {"_id": key, "sequence": sequence, "deleted": True},
                                  upsert=True, session=tx.session)
    return True
