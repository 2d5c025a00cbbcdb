"""Reminders: stored schedules relative to an item's start (7 days and 1 day before by default) for
each registered person; moved when the item is rescheduled, dropped when it is cancelled or the
registration is; fired by a worker job, each firing queueing one e-mail exactly once."""
from __future__ import annotations

import datetime as dt

from services.notifications import rules
from services.notifications.deliveries import enqueue_email
from services.notifications.events import SOURCE
from services.notifications.recipients import Recipient
from services.notifications.store import CALENDAR, PEOPLE, REMINDERS
from shared import clock
from shared.bus.outbox import Tx, atomic


def offsets(settings) -> tuple:
    return settings.notifications_reminder_offsets or rules.DEFAULT_REMINDER_OFFSETS


def schedule(tx: Tx, settings, item: dict, recipient: Recipient, *, registration_id: str | None,
             federation: str | None) -> None:
    """Arm the reminders of one person for one item (idempotent; re-arms after a re-registration)."""
    at = clock.now()
    for rule, fire_at in rules.reminder_times(item["starts_at"], offsets(settings)).items():
        rid = f"{item['_id']}:{recipient.key}:{rule}"
        if fire_at <= at:
            continue
        tx.db[REMINDERS].update_one(
            {"_id": rid},
            {"$set": {"item_id": item["_id"], "registration_id": registration_id, "person_id": recipient.person_id,
                      "recipient_key": recipient.key, "federation": federation, "rule": rule,
                      "offset": (item["starts_at"] - fire_at).total_seconds(), "fire_at": fire_at,
                      "status": "pending", "updated_at": at,
                      # Who to write to if the registry projection does not know them (guests).
                      "snapshot": recipient.snapshot()},
             "$setOnInsert": {"created_at": at}},
            upsert=True, session=tx.session)


def move(tx: Tx, item: dict) -> None:
    """The item moved: every reminder follows its start; one already sent is armed again when its new
    time is still ahead (the person hears about the new date), one whose time has passed is skipped."""
    at = clock.now()
    for reminder in list(tx.db[REMINDERS].find({"item_id": item["_id"], "status": {"$in": ["pending", "fired"]}},
                                               session=tx.session)):
        fire_at = item["starts_at"] - dt.timedelta(seconds=reminder["offset"])
        if fire_at > at:
            changes = {"fire_at": fire_at, "status": "pending", "updated_at": at}
        elif reminder["status"] == "pending":
            changes = {"fire_at": fire_at, "status": "skipped", "updated_at": at}
        else:
            continue
        tx.db[REMINDERS].update_one({"_id": reminder["_id"]}, {"$set": changes}, session=tx.session)


def drop(tx: Tx, query: dict, reason: str) -> None:
    tx.db[REMINDERS].update_many({**query, "status": "pending"},
                                 {"$set": {"status": "dropped", "reason": reason, "updated_at": clock.now()}},
                                 session=tx.session)


def when_label(offset_seconds: float) -> str:
    days = round(offset_seconds / 86400)
    if offset_seconds < 86400 - 3600:
        hours = max(1, round(offset_seconds / 3600))
        return f"dans {hours} heure{'s' if hours > 1 else ''}"
    if days == 1:
        return "demain"
    return f"dans {days} jours"


def fire_due(db, settings, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue the e-mails of every reminder due at `now`; returns how many fired."""
    now = now or clock.now()
    fired = 0
    for _ in range(limit):
        def work(tx: Tx):
            reminder = tx.db[REMINDERS].find_one({"status": "pending", "fire_at": {"$lte": now}},
                                                 sort=[("fire_at", 1)], session=tx.session)
            if reminder is None:
                return None
            tx.db[REMINDERS].update_one({"_id": reminder["_id"], "status": "pending"},
                                        {"$set": {"status": "fired", "fired_at": now}}, session=tx.session)
            item = tx.db[CALENDAR].find_one({"_id": reminder["item_id"]}, session=tx.session)
            if item is None or item.get("status") == "cancelled" or item["starts_at"] <= now:
                # Too late (the worker was down past the start) or nothing to remind of any more.
                tx.db[REMINDERS].update_one({"_id": reminder["_id"]}, {"$set": {"status": "skipped"}},
                                            session=tx.session)
                return reminder
            person = tx.db[PEOPLE].find_one({"_id": reminder["person_id"]}, session=tx.session) \
                if reminder.get("person_id") else None
            recipient = Recipient.of_person(person) if person is not None else Recipient.of_ref(
                reminder["recipient_key"], reminder.get("snapshot") or {}, person_id=reminder.get("person_id"))
            # Said from the real time left (a late firing says "demain", not "dans 7 jours").
            when = when_label(min(reminder["offset"], (item["starts_at"] - now).total_seconds()))
            enqueue_email(tx, settings, origin=f"reminder:{reminder['_id']}:{item['starts_at'].isoformat()}",
                          event_type="notifications.reminder", subject_id=item["_id"],
                          federation=reminder.get("federation"), recipient=recipient, template="reminder",
                          category="reminder", context={"item": item, "data": {}, "when": when}, ics_item=item,
                          ics_method="REQUEST")
            return reminder

        if atomic(db, SOURCE, work) is None:
            break
        fired += 1
    return fired
