"""The seat document of an event and what moves it.

Every registration change updates the event's seat document (`seats`: taken, waitlisted, awaiting,
attended, absent, next waiting-list position) in the same transaction as the registration and its
outbox event. Concurrent writers of that document conflict (WriteConflict) and `atomic` retries the
loser on a fresh snapshot, so seats are counted serially and the capacity is never exceeded.
"""
from __future__ import annotations

import threading

from pymongo import ReturnDocument

from services.events import rules
from services.events.events import REGISTRATION_PROMOTED, SOURCE, registration_payload
from services.events.store import REGISTRATIONS, SEATS
from shared import clock
from shared.access import replace_at_version
from shared.bus.outbox import Tx, atomic

# Striped locks: bounded memory, one lock per event in practice (a collision only queues two events).
_LOCKS = [threading.Lock() for _ in range(256)]


def new_seats(event: dict) -> dict:
    """The seat document of a new event: nothing taken yet."""
    return {"_id": event["_id"], "federation": event["federation"], "taken": 0, "waitlisted": 0, "awaiting": 0,
            "attended": 0, "absent": 0, "next_position": 0}


def seats_view(event: dict, seats: dict | None) -> dict:
    """The seats as the API shows them (with what is still available)."""
    seats = seats or {}
    capacity = event.get("capacity")
    taken = seats.get("taken", 0)
    return {"capacity": capacity, "taken": taken, "available": None if capacity is None else max(0, capacity - taken),
            "waitlisted": seats.get("waitlisted", 0), "awaiting": seats.get("awaiting", 0)}


def atomic_on_seats(db, event_id: str, work):
    """`work` in one transaction; within one process, changes to an event's seats queue up on a lock.

    Correctness does not depend on the lock (the transaction does: concurrent writers of the seat document
    conflict and are retried, across processes too); it avoids retry storms on a hot event, where
    every conflicting transaction would redo its work.
    """
    with _LOCKS[hash(event_id) % len(_LOCKS)]:
        return atomic(db, SOURCE, work)


def emit_registration(tx: Tx, event_type, registration: dict, event: dict, previous: str | None, reason: str | None = None):
    tx.emit(event_type, subject=registration["_id"], sequence=registration["version"],
            federation=registration["federation"],
            data=registration_payload(registration, event, previous, reason))


def move_seats(tx: Tx, event_id: str, before: str | None, after: str | None, extra: dict | None = None) -> dict:
    """Apply a registration's move to the seat document; returns the counters after it."""
    delta = rules.seat_delta(before, after)
    update = {"$inc": {**delta, **(extra or {})}} if (delta or extra) else None
    if update is None:
        return tx.db[SEATS].find_one({"_id": event_id}, session=tx.session)
    return tx.db[SEATS].find_one_and_update({"_id": event_id}, update, session=tx.session,
                                            return_document=ReturnDocument.AFTER)


def set_status(tx: Tx, registration: dict, status: str, by: str | None, reason: str | None = None,
                **fields) -> dict:
    now = clock.now()
    entry = {"status": status, "at": now, "by": by, **({"reason": reason} if reason else {})}
    updated = {**registration, **fields, "status": status, "updated_at": now,
               "history": [*registration.get("history", []), entry]}
    if status != rules.WAITLISTED:
        updated["waitlist_position"] = None
    return replace_at_version(tx.db, REGISTRATIONS, updated, registration["version"], session=tx.session)


def promote_waitlisted(tx: Tx, event: dict, seats: dict) -> dict:
    """Give every free seat to the first waitlisted people, in their order on the list."""
    count = rules.seats_to_fill(seats, event.get("capacity")) if event["status"] == "published" else 0
    if count == 0:
        return seats
    waiting = list(tx.db[REGISTRATIONS].find({"event_id": event["_id"], "status": rules.WAITLISTED},
                                             session=tx.session).sort([("waitlist_position", 1)]).limit(count))
    for registration in waiting:
        promoted = set_status(tx, registration, rules.REGISTERED, None, "a seat freed")
        seats = move_seats(tx, event["_id"], rules.WAITLISTED, rules.REGISTERED)
        emit_registration(tx, REGISTRATION_PROMOTED, promoted, event, rules.WAITLISTED)
    return seats


def take_seat(tx: Tx, event: dict) -> tuple[str, int | None]:
    """A seat if one is free, else a place on the waiting list (or a wait for approval).

    The capacity is in the update's filter: the seat counter can never pass it, whatever runs
    concurrently; a full event makes the update match nothing, and the person is waitlisted.
    """
    if event.get("requires_approval"):
        move_seats(tx, event["_id"], None, rules.AWAITING)
        return rules.AWAITING, None
    capacity = event.get("capacity")
    seat_filter = {"_id": event["_id"], **({"taken": {"$lt": capacity}} if capacity is not None else {})}
    if tx.db[SEATS].find_one_and_update(seat_filter, {"$inc": rules.seat_delta(None, rules.REGISTERED)},
                                        session=tx.session, projection={"_id": 1}):
        return rules.REGISTERED, None
    seats = tx.db[SEATS].find_one_and_update(
        {"_id": event["_id"]}, {"$inc": {**rules.seat_delta(None, rules.WAITLISTED), "next_position": 1}},
        session=tx.session, return_document=ReturnDocument.AFTER)
    return rules.WAITLISTED, seats["next_position"]


def touch_seats(tx: Tx, event: dict) -> dict:
    """Write the event's version on its seat document: a registration running concurrently (which
    writes that document too) conflicts and is retried against the new state of the event, so nobody
    registers to an event being cancelled, or misses a reschedule's notification."""
    return tx.db[SEATS].find_one_and_update({"_id": event["_id"]}, {"$set": {"event_version": event["version"]}},
                                            session=tx.session, return_document=ReturnDocument.AFTER)
