"""Local projections of another service's aggregates, fed by its events (event-carried state transfer).

An event is applied only if its `sequence` is newer than what the projection holds, so redelivered
or out-of-order events never roll a projection back.
"""
from __future__ import annotations

from pymongo import UpdateOne

from shared.bus.outbox import Tx


def _if_newer(envelope: dict, fields: dict) -> list[dict]:
    """An update pipeline that applies `fields` only over an older, unerased document (or none).

    The document is matched on its `_id` alone, so an older or erased one is matched too, and kept as
    it is. (A filter on the sequence would make the upsert insert a second `_id`: a duplicate-key
    error, which aborts the transaction.) Values go in as `$literal`: a name starting with `$` is not
    a field path."""
    sequence = envelope["sequence"]
    newer = {"$and": [{"$ne": ["$erased", True]}, {"$lt": [{"$ifNull": ["$sequence", -1]}, sequence]}]}
    applied = {"$mergeObjects": ["$$ROOT", {name: {"$literal": value} for name, value in fields.items()},
                                 {"sequence": sequence}]}
    return [{"$replaceWith": {"$cond": [newer, applied, "$$ROOT"]}}]


def apply_if_newer(tx: Tx, collection: str, key: str, envelope: dict, fields: dict) -> bool:
    """Upsert `fields` for `key` when the envelope's sequence is newer; returns whether it applied.
    One conditional upsert, not a read then a write."""
    result = tx.db[collection].update_one({"_id": key}, _if_newer(envelope, fields), upsert=True,
                                          session=tx.session)
    return result.upserted_id is not None or result.modified_count > 0


def upsert_if_newer(tx: Tx, collection: str, key: str, envelope: dict, fields: dict) -> None:
    """`apply_if_newer` for a handler that does not need to know whether it applied: the upsert goes
    with the transaction's other deferred writes (`Tx.defer`), so a batch of events costs one round
    trip per collection instead of one per event."""
    tx.defer(collection, UpdateOne({"_id": key}, _if_newer(envelope, fields), upsert=True))


def single_upsert(handler):
    """Marks a handler whose only write is one `upsert_if_newer`: delivered again, or after a newer event,
    it changes nothing, so the consumer runs it without a transaction and without a processed-event record
    (`shared.bus.consumer`): one store round trip per drain instead of three. It must not `emit`, read
    through `tx.db`, or write anything else (the consumer refuses an event that a marked handler emits)."""
    handler.single_upsert = True
    return handler


def is_single_upsert(handler) -> bool:
    return bool(getattr(handler, "single_upsert", False))


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
