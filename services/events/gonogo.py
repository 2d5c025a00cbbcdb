"""Go / no-go: warn the organizers of published events whose minimum is not reached by its date."""
from __future__ import annotations

from services.events import clock, rules
from services.events.events import MINIMUM_NOT_REACHED, SOURCE
from services.events.store import EVENTS, SEATS
from services.events.views import event_state
from shared.bus.outbox import Tx, atomic


def check_minimums(db, settings=None) -> int:
    """One pass of the job; returns how many events were flagged. Safe to run concurrently."""
    now = clock.now()
    candidates = db[EVENTS].find({"status": "published", "min_participants": {"$gt": 0},
                                  "minimum_warned_at": None, "ends_at": {"$gte": now}},
                                 {"_id": 1})
    flagged = 0
    for candidate in list(candidates):
        def work(tx: Tx, event_id=candidate["_id"]) -> bool:
            event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
            seats = tx.db[SEATS].find_one({"_id": event_id}, session=tx.session) or {}
            if not rules.minimum_missed(event, seats, clock.now()):
                return False
            # The warning goes once: the flag is part of the event's state (new version).
            warned_at = clock.now()
            event = {**event, "minimum_warned_at": warned_at, "version": event["version"] + 1}
            tx.db[EVENTS].update_one({"_id": event_id, "version": event["version"] - 1},
                                     {"$set": {"minimum_warned_at": warned_at, "version": event["version"]}},
                                     session=tx.session)
            tx.emit(MINIMUM_NOT_REACHED, subject=event_id, sequence=event["version"], federation=event["federation"],
                    data={**event_state(event), "taken": seats.get("taken", 0)})
            return True
        flagged += bool(atomic(db, SOURCE, work))
    return flagged
