"""Draws that never land: holding an event's new registrations, settling those in flight, and the
repair of an abandoned draw (a process killed between its draw and its commit).

`quiet` is what an event change does (cancel, reschedule, capacity, held): it holds new draws and lets
those in flight land, so whoever registered is among the people it tells and the capacity it checks is
final. When a draw stops making progress it is declared abandoned (`tickets.abandon`, which a late
commit of it can no longer pass) and the counters are recounted from the registrations, in a transaction
that promotes whoever a free seat is owed to. The worker's `repair_abandoned_draws` job does the same for
a ticket left without a record for ABANDONED_AFTER seconds, so counters never stay off.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from contextlib import contextmanager

from pymongo import ReturnDocument

from services.events import tickets
from services.events.seats import COUNTERS, atomic_on_seats, promote_waitlisted, recount
from services.events.store import EVENTS, SEATS
from shared import clock
from shared.bus.outbox import Tx

# A hold of new registrations lasts at most this long (a holder that died frees them after it).
HOLD_SECONDS = 10.0
# A change waits at most this long for the registrations in flight to land (their writes time out in 5 s)…
SETTLE_SECONDS = 6.0
# …and declares abandoned those that made no progress for this long (a live one then simply draws again).
STALL_SECONDS = 1.0
# The job declares abandoned a ticket it has seen without a record for this long.
ABANDONED_AFTER = 15.0
# The job looks at events whose last draw is this recent.
RECENT_DRAWS = dt.timedelta(days=30)


@contextmanager
def quiet(db, event_id: str, patience: float = SETTLE_SECONDS):
    """Hold new registrations of an event (they draw again once it is released), settle those in flight
    (`settle_draws`), then run the body. The hold is a lease: a holder that died frees it after
    HOLD_SECONDS."""
    token = uuid.uuid4().hex
    until = clock.wall_now() + dt.timedelta(seconds=HOLD_SECONDS)
    seats = db[SEATS].find_one_and_update({"_id": event_id}, {"$set": {"held_until": until, "held_by": token}},
                                          return_document=ReturnDocument.AFTER)
    try:
        if seats is not None:
            settle_draws(db, event_id, seats.get("tickets", 0), patience)
        yield
    finally:
        db[SEATS].update_one({"_id": event_id, "held_by": token}, {"$unset": {"held_until": "", "held_by": ""}})


def settle_draws(db, event_id: str, drawn: int, patience: float = SETTLE_SECONDS) -> bool:
    """Under a hold (no new draw): wait for every ticket up to `drawn` to have its record; declare
    abandoned those that stall, and if any was, recount the seats. True when every ticket is settled."""
    deadline, progress_at = time.monotonic() + patience, time.monotonic()
    missing = tickets.unrecorded(db, event_id, drawn)
    while missing and time.monotonic() < deadline and time.monotonic() - progress_at < STALL_SECONDS:
        time.sleep(0.005)
        still = tickets.unrecorded(db, event_id, drawn)
        if len(still) < len(missing):
            progress_at = time.monotonic()
        missing = still
    if not missing:
        return True
    outcomes = [tickets.abandon(db, event_id, ticket) for ticket in sorted(missing)]
    if None in outcomes:
        return False  # a ticket still held by an open transaction: the job comes back to it
    recount_seats(db, event_id)
    return True


def recount_seats(db, event_id: str) -> dict:
    """Set the counters to a recount of the registrations, and promote if a seat is owed to someone
    waiting; one transaction, which any concurrent change of the seats conflicts with."""
    def work(tx: Tx) -> dict:
        counts = recount(tx.db, event_id, session=tx.session)
        seats = tx.db[SEATS].find_one_and_update({"_id": event_id}, {"$set": counts}, session=tx.session,
                                                 return_document=ReturnDocument.AFTER)
        event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
        return promote_waitlisted(tx, event, seats) if event and seats else seats

    return atomic_on_seats(db, event_id, work)


def counters_match(db, event_id: str) -> bool:
    seats = db[SEATS].find_one({"_id": event_id}) or {}
    return all(seats.get(k, 0) == v for k, v in recount(db, event_id).items() if k in COUNTERS)


# Tickets seen without a record, by (store, database, event) → {ticket: first seen (monotonic)}.
_seen: dict[tuple, dict[int, float]] = {}
_seen_lock = threading.Lock()


def repair_abandoned_draws(db, settings=None, *, abandoned_after: float = ABANDONED_AFTER) -> int:
    """The worker's job: every event whose draws left a ticket without a record for `abandoned_after`
    seconds is settled under a short hold (abandoned tickets recorded, counters recounted).
    Returns how many events were repaired."""
    since = clock.wall_now() - RECENT_DRAWS
    now, repaired = time.monotonic(), 0
    for seats in db[SEATS].find({"tickets": {"$gt": 0}, "last_arrival": {"$gte": since}}, {"tickets": 1}):
        key = (id(db.client), db.name, seats["_id"])
        missing = tickets.unrecorded(db, seats["_id"], seats["tickets"])
        with _seen_lock:
            seen = {t: _seen.get(key, {}).get(t, now) for t in missing}
            if seen:
                _seen[key] = seen
            else:
                _seen.pop(key, None)
        if seen and now - min(seen.values()) >= abandoned_after:
            with quiet(db, seats["_id"], patience=STALL_SECONDS):
                pass
            with _seen_lock:
                _seen.pop(key, None)
            repaired += 1
    return repaired
