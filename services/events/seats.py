"""The seat document of an event and what moves it.

The seat document (`seats`: taken, waitlisted, awaiting, attended, absent, next waiting-list position,
`tickets`) counts an event's registrations. A new registration does not write it in a transaction: it
takes its *ticket* — its place in the order of arrival — and its seat or waiting-list place in one atomic
single-document update (`draw`), then writes the registration, the ticket's record (`tickets.claim`) and
its outbox event in a transaction of their own, which touches no shared document. So registrations of one
event, in any number of processes, neither queue nor conflict; the ticket is the order in which the
service accepted them.

* A seat is `{taken: {$lt: capacity}, waitlisted: 0}` → `$inc: {tickets: 1, taken: 1}`: the counter can
  never pass the capacity, and nobody takes a seat ahead of people already waiting.
* Otherwise `$inc: {tickets: 1, waitlisted: 1, next_position: 1}`: the waiting-list position is drawn
  with the ticket, so ranks follow tickets (arrival order); promotions take the lowest position.
* A registration whose transaction fails gives its place back (`give_back`, which records the ticket as
  given back in the same transaction), promoting if a seat frees.
* Rarer changes (cancellation, approval, attendance, event changes) update the document in their
  transaction as before; a concurrent `draw` conflicts with them and one of the two is retried.
* A registration counted but not yet committed is *in flight*: promotions wait until every waitlisted
  person counted is visible (the last one to land promotes, `settle`), so the lowest ticket is served
  first. A draw whose process died never lands: `repair` finds its ticket without a record, declares it
  abandoned and recounts the seats (see `tickets.py`, `repair.py`).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import Counter

from pymongo import ReturnDocument
from pymongo.errors import PyMongoError

from services.events import rules, tickets
from services.events.events import REGISTRATION_PROMOTED, SOURCE, registration_payload
from services.events.store import EVENTS, REGISTRATIONS, SEATS
from shared import clock
from shared.access import replace_at_version
from shared.bus.outbox import Tx, atomic
from shared.mongo import DURABLE

# Striped locks: bounded memory, one lock per event in practice (a collision only queues two events).
_LOCKS = [threading.Lock() for _ in range(256)]


class SeatsHeld(Exception):
    """An event change (or a repair) holds new registrations of this event: draw again in a moment."""


def new_seats(event: dict) -> dict:
    """The seat document of a new event: nothing taken yet."""
    return {"_id": event["_id"], "federation": event["federation"], "taken": 0, "waitlisted": 0, "awaiting": 0,
            "attended": 0, "absent": 0, "next_position": 0, "tickets": 0, "event_version": event.get("version")}


def seats_view(event: dict, seats: dict | None) -> dict:
    """The seats as the API shows them (with what is still available)."""
    seats = seats or {}
    capacity = event.get("capacity")
    taken = seats.get("taken", 0)
    return {"capacity": capacity, "taken": taken, "available": None if capacity is None else max(0, capacity - taken),
            "waitlisted": seats.get("waitlisted", 0), "awaiting": seats.get("awaiting", 0)}


def atomic_on_seats(db, event_id: str, work, *, then_settle: bool = True):
    """`work` in one transaction; within one process, these changes to an event's seats queue up on a lock.

    Correctness does not depend on the lock (the transaction does: concurrent writers of the seat document
    conflict and are retried, across processes too); it avoids retry storms among the rarer changes
    (cancellations, approvals, check-in). New registrations do not take it (`draw`).

    Then `settle`, after the commit. A change that frees a seat while a waitlisted registration is in
    flight leaves the promotion to that registration's landing (`promote_waitlisted`); but the landing's
    look at the seats may come before this commit, while this transaction's look at the waiting list came
    before the landing's commit: each saw the other's state before it, and nobody was promoted. A look
    after this commit sees the landing or comes before its own look, so one of the two promotes.
    """
    with _LOCKS[hash(event_id) % len(_LOCKS)]:
        result = atomic(db, SOURCE, work)
    if then_settle:
        with contextlib.suppress(PyMongoError):  # committed: a promotion left undone waits for the next landing
            seats = db[SEATS].find_one({"_id": event_id})
            # most events have nobody waiting: then this one read is all
            waiting = seats and seats.get("waitlisted")
            event = db[EVENTS].find_one({"_id": event_id}, {"capacity": 1}) if waiting else None
            if event is not None:
                settle(db, event, seats)
    return result


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
    """Give every free seat to the first waitlisted people, in their order on the list (= their tickets).

    Only once every waitlisted person counted is visible: one still in flight may hold a lower ticket
    than those already written, and it promotes when it lands (`settle`)."""
    count = rules.seats_to_fill(seats, event.get("capacity")) if event["status"] == "published" else 0
    if count == 0:
        return seats
    visible = tx.db[REGISTRATIONS].count_documents({"event_id": event["_id"], "status": rules.WAITLISTED},
                                                   session=tx.session)
    if visible < seats.get("waitlisted", 0):
        return seats
    waiting = list(tx.db[REGISTRATIONS].find({"event_id": event["_id"], "status": rules.WAITLISTED},
                                             session=tx.session).sort([("waitlist_position", 1)]).limit(count))
    for registration in waiting:
        promoted = set_status(tx, registration, rules.REGISTERED, None, "a seat freed")
        seats = move_seats(tx, event["_id"], rules.WAITLISTED, rules.REGISTERED)
        emit_registration(tx, REGISTRATION_PROMOTED, promoted, event, rules.WAITLISTED)
    return seats


def take_seat(tx: Tx, event: dict, registration_id: str) -> tuple[str, int | None, int | None]:
    """In a transaction (an approval): a seat if one is free and nobody waits, else the waiting list (or a
    wait for approval). The ticket is recorded in the same transaction. Returns (status, waiting-list
    position, ticket)."""
    status, position, ticket = _take_seat(tx, event)
    if ticket is not None:
        tickets.claim(tx, event["_id"], ticket, registration_id)
    return status, position, ticket


def _take_seat(tx: Tx, event: dict) -> tuple[str, int | None, int | None]:
    if event.get("requires_approval"):
        move_seats(tx, event["_id"], None, rules.AWAITING)
        return rules.AWAITING, None, None
    capacity = event.get("capacity")
    seat_filter = {"_id": event["_id"], **({"taken": {"$lt": capacity}, "waitlisted": 0} if capacity is not None
                                           else {})}
    seats = tx.db[SEATS].find_one_and_update(
        seat_filter, {"$inc": {**rules.seat_delta(None, rules.REGISTERED), "tickets": 1}},
        session=tx.session, projection={"tickets": 1}, return_document=ReturnDocument.AFTER)
    if seats:
        return rules.REGISTERED, None, seats["tickets"]
    seats = tx.db[SEATS].find_one_and_update(
        {"_id": event["_id"]},
        {"$inc": {**rules.seat_delta(None, rules.WAITLISTED), "next_position": 1, "tickets": 1}},
        session=tx.session, return_document=ReturnDocument.AFTER)
    return rules.WAITLISTED, seats["next_position"], seats["tickets"]


def _not_held() -> dict:
    return {"held_until": {"$not": {"$gt": clock.wall_now()}}}


def draw(db, event: dict) -> tuple[str, int | None, int | None, dict]:
    """A new registration's place, outside any transaction, in one atomic single-document update: its
    ticket (arrival order) with a seat (`taken < capacity` and nobody waiting), or with a waiting-list
    position, or a wait for approval. Returns (status, position, ticket, the seat document after it, with
    `last_arrival`: the arrival time, strictly increasing with the ticket).

    Raises SeatsHeld while an event change holds new registrations (`quiet`)."""
    mine = {"_id": event["_id"], **_not_held()}
    after = ReturnDocument.AFTER
    now = clock.now()
    # journaled: a draw the store forgot after its own crash could hand a seat out twice
    seats_doc = db[SEATS].with_options(write_concern=DURABLE)
    if event.get("requires_approval"):
        seats = seats_doc.find_one_and_update(
            mine, {"$inc": {**rules.seat_delta(None, rules.AWAITING), "tickets": 1}, "$max": {"last_arrival": now}},
            return_document=after)
        if seats is None:
            raise SeatsHeld()
        return rules.AWAITING, None, seats["tickets"], seats
    capacity = event.get("capacity")
    seat = {"$and": [{"$lt": ["$taken", capacity]}, {"$eq": ["$waitlisted", 0]}]} if capacity is not None else True
    plus = lambda field, when: {"$cond": [when, {"$add": [{"$ifNull": [f"${field}", 0]}, 1]},  # noqa: E731
                                          {"$ifNull": [f"${field}", 0]}]}
    seats = seats_doc.find_one_and_update(mine, [
        {"$set": {"last_seated": seat}},
        {"$set": {"tickets": plus("tickets", True), "taken": plus("taken", "$last_seated"),
                  "waitlisted": plus("waitlisted", {"$not": ["$last_seated"]}),
                  "next_position": plus("next_position", {"$not": ["$last_seated"]}),
                  # the arrival time, strictly increasing with the ticket (stored times are in ms)
                  "last_arrival": {"$max": [now, {"$add": [{"$ifNull": ["$last_arrival", now]}, 1]}]}}},
    ], return_document=after)
    if seats is None:
        raise SeatsHeld()
    if seats["last_seated"]:
        return rules.REGISTERED, None, seats["tickets"], seats
    return rules.WAITLISTED, seats["next_position"], seats["tickets"], seats


def draw_many(db, event: dict, count: int) -> list[tuple[str, int | None, int, dt.datetime]] | None:
    """`count` new registrations' places in one atomic single-document update, as `count` draws one after
    the other would give them: `count` consecutive tickets, the first ones with a seat while
    `taken < capacity` and nobody waits, the others with consecutive waiting-list positions; arrival times
    strictly increasing with the ticket (1 ms apart, the stored precision). Events that require approval
    are not drawn here (`draw`). Returns [(status, position, ticket, arrival)] in ticket order and the seat
    document after the draw, or None while an event change holds new registrations (`quiet`)."""
    assert count >= 1 and not event.get("requires_approval")
    now = clock.now()
    seats_doc = db[SEATS].with_options(write_concern=DURABLE)
    capacity = event.get("capacity")
    ms = dt.timedelta(milliseconds=1)
    free = ({"$cond": [{"$eq": ["$waitlisted", 0]}, {"$max": [0, {"$subtract": [capacity, "$taken"]}]}, 0]}
            if capacity is not None else count)
    field = lambda name: {"$ifNull": [f"${name}", 0]}  # noqa: E731
    seats = seats_doc.find_one_and_update({"_id": event["_id"], **_not_held()}, [
        {"$set": {"last_drawn_seats": {"$min": [count, free]}}},
        {"$set": {"tickets": {"$add": [field("tickets"), count]},
                  "taken": {"$add": [field("taken"), "$last_drawn_seats"]},
                  "waitlisted": {"$add": [field("waitlisted"), {"$subtract": [count, "$last_drawn_seats"]}]},
                  "next_position": {"$add": [field("next_position"), {"$subtract": [count, "$last_drawn_seats"]}]},
                  # the last ticket's arrival: the first is max(now, previous + 1 ms), each next one 1 ms later
                  "last_arrival": {"$add": [{"$max": [now, {"$add": [{"$ifNull": ["$last_arrival", now]}, 1]}]},
                                            count - 1]}}},
    ], return_document=ReturnDocument.AFTER)
    if seats is None:
        return None
    seated, first = seats["last_drawn_seats"], seats["tickets"] - count + 1
    last = seats["last_arrival"]
    last = last.replace(tzinfo=dt.timezone.utc) if last.tzinfo is None else last
    first_position = seats["next_position"] - (count - seated) + 1
    places = []
    for rank in range(count):
        arrival = last - (count - 1 - rank) * ms
        if rank < seated:
            places.append((rules.REGISTERED, None, first + rank, arrival))
        else:
            places.append((rules.WAITLISTED, first_position + rank - seated, first + rank, arrival))
    return places, seats


def give_back(db, event_id: str, status: str, ticket: int, registration_id: str,
              position: int | None = None) -> None:
    """A drawn place whose registration was not written: uncount it (promoting if a seat frees) and record
    its ticket as given back, in one transaction; its position too when nobody drew after it (no gap in the
    list). Nothing to do when the ticket has its record already (it landed after all, or a repair declared
    it abandoned and recounted)."""
    def work(tx: Tx) -> None:
        try:
            tickets.claim(tx, event_id, ticket, registration_id, tickets.GIVEN_BACK)
        except tickets.TicketTaken:
            return
        event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
        if position is not None and tx.db[SEATS].count_documents({"_id": event_id, "next_position": position},
                                                                 session=tx.session):
            move_seats(tx, event_id, None, None, {"next_position": -1})
        seats = move_seats(tx, event_id, status, None)
        promote_waitlisted(tx, event, seats)

    atomic_on_seats(db, event_id, work)


def settle(db, event: dict, seats: dict | None = None) -> None:
    """After a waitlisted registration landed: if a seat is free meanwhile, promote (a cancellation may
    have left it to the people in flight)."""
    capacity = event.get("capacity")
    seats = db[SEATS].find_one({"_id": event["_id"]}) if seats is None else seats
    if capacity is None or not seats or seats.get("waitlisted", 0) == 0 or seats.get("taken", 0) >= capacity:
        return

    def work(tx: Tx) -> None:
        current = tx.db[EVENTS].find_one({"_id": event["_id"]}, session=tx.session)
        promote_waitlisted(tx, current, tx.db[SEATS].find_one({"_id": event["_id"]}, session=tx.session))

    atomic_on_seats(db, event["_id"], work, then_settle=False)


COUNTERS = ("taken", "waitlisted", "awaiting", "attended", "absent")


def recount(db, event_id: str, session=None) -> dict:
    """The seat counters as the registrations give them."""
    counts = Counter(r["status"] for r in db[REGISTRATIONS].find(
        {"event_id": event_id, "status": {"$in": [*rules.SEATED, rules.WAITLISTED, rules.AWAITING]}},
        {"status": 1}, session=session))
    return {"taken": sum(counts[s] for s in rules.SEATED), "waitlisted": counts[rules.WAITLISTED],
            "awaiting": counts[rules.AWAITING], "attended": counts[rules.ATTENDED], "absent": counts[rules.ABSENT]}


def touch_seats(tx: Tx, event: dict) -> dict:
    """Write the event's version on its seat document: a change racing it (which writes that document
    too) conflicts and is retried against the new state of the event; a registration that drew its place
    under an older version checks the event again before it is written."""
    return tx.db[SEATS].find_one_and_update({"_id": event["_id"]}, {"$set": {"event_version": event["version"]}},
                                            session=tx.session, return_document=ReturnDocument.AFTER)
