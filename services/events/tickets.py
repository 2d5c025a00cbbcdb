"""What became of every ticket drawn on an event's seat document: one record per ticket.

A new registration draws its ticket (and its seat or waiting-list place) outside any transaction
(`seats.draw`), so a process can die between its draw and its commit. Each ticket therefore ends in
exactly one record of `tickets` (`_id` = `<event id>:<ticket>`, unique):

* `landed` — written in the registration's own transaction (`claim`);
* `given_back` — its registration was refused or failed, and the counters were put back in the same
  transaction (`seats.give_back`);
* `abandoned` — nobody recorded it in time: `repair` wrote this record and recounted the seats.

A ticket without a record is in flight, or its process died. Both sides insert the same `_id`, so the
first record wins: a registration arriving after its ticket was declared abandoned is refused by the
unique index and draws again, whatever its delay (no clock decides who is late).
"""
from __future__ import annotations

import pymongo
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from services.events.store import TICKETS
from shared import clock
from shared.bus.outbox import Tx
from shared.mongo import DURABLE

LANDED, GIVEN_BACK, ABANDONED = "landed", "given_back", "abandoned"
# A record that cannot be written within this time is left for the next pass (the ticket may be held by a
# transaction still open, e.g. the orphan of a killed process, which the store aborts after its lifetime).
RECORD_SECONDS = 2.0


class TicketTaken(Exception):
    """This ticket already has its record: it was declared abandoned (draw again) or already given back."""


def _record(event_id: str, ticket: int, outcome: str, registration_id: str | None) -> dict:
    return {"_id": f"{event_id}:{ticket}", "event_id": event_id, "ticket": ticket, "outcome": outcome,
            "registration_id": registration_id, "at": clock.wall_now()}


def claim(tx: Tx, event_id: str, ticket: int, registration_id: str, outcome: str = LANDED) -> None:
    """Record the ticket in the transaction that writes its registration (or gives its place back).
    Raises TicketTaken when it was recorded first by someone else."""
    try:
        tx.db[TICKETS].insert_one(_record(event_id, ticket, outcome, registration_id), session=tx.session)
    except DuplicateKeyError:
        raise TicketTaken(ticket) from None


def claim_many(tx: Tx, event_id: str, claimed: list[tuple[int, str]]) -> None:
    """`claim` for the tickets of a batch of registrations ([(ticket, registration id)]) in one insert.
    Raises TicketTaken when one of them was recorded first (a repair declared it abandoned)."""
    try:
        tx.db[TICKETS].insert_many([_record(event_id, ticket, LANDED, registration_id)
                                    for ticket, registration_id in claimed], session=tx.session)
    except BulkWriteError as exc:
        if any(error.get("code") == 11000 for error in exc.details.get("writeErrors", [])):
            raise TicketTaken([ticket for ticket, _ in claimed]) from None
        raise


def landed(db, event_id: str, ticket_numbers: list[int]) -> set[int]:
    """Which of these tickets have landed (their registration's transaction committed)."""
    return {d["ticket"] for d in db[TICKETS].find(
        {"_id": {"$in": [f"{event_id}:{t}" for t in ticket_numbers]}, "outcome": LANDED}, {"ticket": 1})}


def abandon(db, event_id: str, ticket: int) -> bool | None:
    """Declare a ticket abandoned. True: this record won; False: the ticket had its record already;
    None: it could not be decided now (a transaction still holds it), try again later."""
    try:
        with pymongo.timeout(RECORD_SECONDS):
            db[TICKETS].with_options(write_concern=DURABLE).insert_one(_record(event_id, ticket, ABANDONED, None))
        return True
    except DuplicateKeyError:
        return False
    except PyMongoError:
        return None


def unrecorded(db, event_id: str, drawn: int) -> set[int]:
    """The tickets 1..drawn that have no record yet (in flight, or their process died)."""
    if drawn <= 0 or db[TICKETS].count_documents({"event_id": event_id}) >= drawn:
        return set()
    recorded = {d["ticket"] for d in db[TICKETS].find({"event_id": event_id}, {"ticket": 1, "_id": 0})}
    return set(range(1, drawn + 1)) - recorded
