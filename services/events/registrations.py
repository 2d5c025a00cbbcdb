"""Registration use cases: register, waiting list and promotions, approval, cancellation, check-in.

Capacity is never exceeded: every registration change updates the event's seat document (`seats`)
in the same transaction as the registration. Concurrent writers of that document conflict
(WriteConflict) and `atomic` retries the loser on a fresh snapshot, so seats are counted serially.
"""
from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

from services.events import clock, rules
from services.events.events import (
    ATTENDANCE_RECORDED, REGISTRATION_APPROVED, REGISTRATION_AWAITING, REGISTRATION_CANCELLED,
    REGISTRATION_CONFIRMED, REGISTRATION_PROMOTED, REGISTRATION_REJECTED, REGISTRATION_WAITLISTED,
)
from services.events.service import SOURCE, broken, load_event
from services.events.store import EVENTS, PEOPLE, REGISTRATIONS, SEATS
from services.events.views import registration_payload
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def seat_lock(event_id: str):
    """Within one process, changes to an event's seats queue up instead of conflicting.

    Correctness does not depend on it (the transaction does: concurrent writers of the seat document
    conflict and are retried, across processes too); it avoids retry storms on a hot event, where
    every conflicting transaction would redo its work.
    """
    with _locks_guard:
        lock = _locks.setdefault(event_id, threading.Lock())
    with lock:
        yield


def _atomic_on_seats(db, event_id: str, work):
    with seat_lock(event_id):
        return atomic(db, SOURCE, work)


ON_ARRIVAL = {rules.REGISTERED: REGISTRATION_CONFIRMED, rules.WAITLISTED: REGISTRATION_WAITLISTED,
              rules.AWAITING: REGISTRATION_AWAITING}


def _emit(tx: Tx, event_type, registration: dict, event: dict, previous: str | None, reason: str | None = None):
    tx.emit(event_type, subject=registration["_id"], sequence=registration["version"],
            federation=registration["federation"],
            data=registration_payload(registration, event, previous, reason))


def _move_seats(tx: Tx, event_id: str, before: str | None, after: str | None, extra: dict | None = None) -> dict:
    """Apply a registration's move to the seat document; returns the counters after it."""
    delta = rules.seat_delta(before, after)
    update = {"$inc": {**delta, **(extra or {})}} if (delta or extra) else None
    if update is None:
        return tx.db[SEATS].find_one({"_id": event_id}, session=tx.session)
    from pymongo import ReturnDocument
    return tx.db[SEATS].find_one_and_update({"_id": event_id}, update, session=tx.session,
                                            return_document=ReturnDocument.AFTER)


def _set_status(tx: Tx, registration: dict, status: str, by: str | None, reason: str | None = None,
                **fields) -> dict:
    now = clock.now()
    entry = {"status": status, "at": now, "by": by, **({"reason": reason} if reason else {})}
    updated = {**registration, **fields, "status": status, "version": registration["version"] + 1,
               "updated_at": now, "history": [*registration.get("history", []), entry]}
    if status != rules.WAITLISTED:
        updated["waitlist_position"] = None
    result = tx.db[REGISTRATIONS].replace_one({"_id": registration["_id"], "version": registration["version"]},
                                              updated, session=tx.session)
    if result.matched_count == 0:
        raise Conflict("The registration changed meanwhile; read it again.", status=412)
    return updated


def promote_waitlisted(tx: Tx, event: dict, seats: dict) -> dict:
    """Give every free seat to the first waitlisted people, in their order on the list."""
    count = rules.seats_to_fill(seats, event.get("capacity")) if event["status"] == "published" else 0
    if count == 0:
        return seats
    waiting = list(tx.db[REGISTRATIONS].find({"event_id": event["_id"], "status": rules.WAITLISTED},
                                             session=tx.session).sort([("waitlist_position", 1)]).limit(count))
    for registration in waiting:
        promoted = _set_status(tx, registration, rules.REGISTERED, None, "a seat freed")
        seats = _move_seats(tx, event["_id"], rules.WAITLISTED, rules.REGISTERED)
        _emit(tx, REGISTRATION_PROMOTED, promoted, event, rules.WAITLISTED)
    return seats


def _take_seat(tx: Tx, event: dict) -> tuple[str, int | None]:
    """A seat if one is free, else a place on the waiting list (or a wait for approval).

    The capacity is in the update's filter: the seat counter can never pass it, whatever runs
    concurrently; a full event makes the update match nothing, and the person is waitlisted.
    """
    from pymongo import ReturnDocument

    if event.get("requires_approval"):
        _move_seats(tx, event["_id"], None, rules.AWAITING)
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


def _who(db, principal: Principal, event: dict, data: dict) -> dict:
    """The registrant: yourself (token `sub` = registry person), or for staff a person or a guest."""
    if data.get("guest"):
        guest = data["guest"]
        return {"person_id": None, "guest": True, "first_name": guest["first_name"], "last_name": guest["last_name"],
                "email": guest["email"], "organization": guest.get("organization"), "may_email": True,
                "dedup_key": f"{event['_id']}:guest:{guest['email'].strip().lower()}"}
    person_id = data.get("person_id") or principal.sub
    person = db[PEOPLE].find_one({"_id": person_id, "deleted": {"$ne": True}})
    if person is None or person.get("federation") != event["federation"]:
        if data.get("person_id"):
            raise NotFound("person")
        raise Conflict("Your account is not a person of this federation's registry; ask the organizers "
                       "to register you.", field="person_id", status=403)
    return {"person_id": person_id, "guest": False, "first_name": person.get("first_name"),
            "last_name": person.get("last_name"), "email": person.get("email"),
            "may_email": bool(person.get("may_email")), "organization": None,
            "dedup_key": f"{event['_id']}:person:{person_id}"}


def register(db, principal: Principal, event_id: str, data: dict) -> dict:
    event = load_event(db, principal, event_id)
    if not principal.can_write(event["federation"]):
        raise Conflict("Registrations are made within the organizing federation.", status=403)
    on_behalf = bool(data.get("person_id") or data.get("guest"))
    if on_behalf and not principal.is_staff:
        raise Conflict("Only staff register someone else or a guest.", field="person_id", status=403)
    who = _who(db, principal, event, data)
    now = clock.now()

    def work(tx: Tx) -> dict:
        current = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
        refusal = rules.registration_refusal(current, clock.now())
        if refusal:
            raise broken(refusal)
        existing = tx.db[REGISTRATIONS].find_one({"dedup_key": who["dedup_key"]}, session=tx.session)
        if existing is not None and existing["status"] != rules.CANCELLED:
            raise Conflict(f"Already registered for this event (status `{existing['status']}`).",
                           field="person_id" if who["person_id"] else "guest")
        status, position = _take_seat(tx, current)
        entry = {"status": status, "at": now, "by": principal.sub}
        if existing is None:
            registration = {"_id": str(uuid.uuid4()), "event_id": event_id, "federation": current["federation"],
                            **who, "note": data.get("note"), "status": status, "waitlist_position": position,
                            "history": [entry], "version": 1, "created_at": now, "updated_at": now,
                            "created_by": principal.sub}
            tx.db[REGISTRATIONS].insert_one(registration, session=tx.session)
        else:  # registering again after a cancellation reuses the registration (one per person and event)
            registration = _set_status(tx, existing, status, principal.sub, waitlist_position=position,
                                       note=data.get("note"), **{k: v for k, v in who.items() if k != "dedup_key"})
        _emit(tx, ON_ARRIVAL[status], registration, current, existing["status"] if existing else None)
        return registration

    return _atomic_on_seats(db, event_id, work)


def load_registration(db, principal: Principal, event_id: str, registration_id: str, *, manage: bool = False):
    event = load_event(db, principal, event_id)
    registration = db[REGISTRATIONS].find_one({"_id": registration_id, "event_id": event_id})
    staff = principal.is_staff and principal.can_write(event["federation"])
    own = registration is not None and registration.get("person_id") == principal.sub
    if registration is None or not (staff or own or principal.is_national):
        raise NotFound("registration")
    if manage and not staff:
        raise Conflict("Only the organizing federation's staff do this.", status=403)
    return event, registration, staff


def get_registration(db, principal: Principal, event_id: str, registration_id: str) -> dict:
    return load_registration(db, principal, event_id, registration_id)[1]


def list_registrations(db, principal: Principal, event_id: str, args: dict) -> dict:
    event = load_event(db, principal, event_id)
    if not (principal.is_national or (principal.is_staff and principal.can_write(event["federation"]))):
        raise Conflict("Only staff see who registered.", status=403)
    query = {"event_id": event_id, **({"status": args["status"]} if args.get("status") else {})}
    return paginate(db[REGISTRATIONS], query, args, sort=[("created_at", 1), ("_id", 1)])


def my_registrations(db, principal: Principal, args: dict) -> dict:
    return paginate(db[REGISTRATIONS], {"person_id": principal.sub, "federation": principal.federation}, args,
                    sort=[("created_at", -1), ("_id", 1)])


def _change(db, principal, event_id, registration_id, *, manage: bool, work_on):
    event, registration, staff = load_registration(db, principal, event_id, registration_id, manage=manage)

    def work(tx: Tx) -> dict:
        current_event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
        current = tx.db[REGISTRATIONS].find_one({"_id": registration_id}, session=tx.session)
        return work_on(tx, current_event, current, staff)

    return _atomic_on_seats(db, event_id, work)


def cancel_registration(db, principal: Principal, event_id: str, registration_id: str,
                        reason: str | None = None) -> dict:
    def work_on(tx, event, registration, staff):
        if event["status"] not in ("draft", "published"):
            raise Conflict(f"The event is {event['status']}: its registrations can no longer change.", field="status")
        try:
            rules.check_registration_move(registration["status"], rules.CANCELLED)
            if not staff:
                refusal = rules.self_cancel_refusal(event, clock.now())
                if refusal:
                    raise refusal
        except rules.RuleBroken as exc:
            raise broken(exc) from None
        before = registration["status"]
        cancelled = _set_status(tx, registration, rules.CANCELLED, principal.sub, reason)
        seats = _move_seats(tx, event["_id"], before, rules.CANCELLED)
        _emit(tx, REGISTRATION_CANCELLED, cancelled, event, before, reason)
        if before == rules.REGISTERED:
            promote_waitlisted(tx, event, seats)
        return cancelled

    return _change(db, principal, event_id, registration_id, manage=False, work_on=work_on)


def approve(db, principal: Principal, event_id: str, registration_id: str) -> dict:
    def work_on(tx, event, registration, staff):
        try:
            rules.check_registration_move(registration["status"], "approved")
        except rules.RuleBroken as exc:
            raise broken(exc) from None
        if event["status"] != "published":
            raise Conflict("Registrations are approved on published events.", field="status")
        seats = tx.db[SEATS].find_one({"_id": event["_id"]}, session=tx.session)
        status = rules.seat_or_waitlist(seats, event.get("capacity"))
        position = seats["next_position"] + 1 if status == rules.WAITLISTED else None
        _move_seats(tx, event["_id"], rules.AWAITING, status, {"next_position": 1} if position else None)
        approved = _set_status(tx, registration, status, principal.sub, "approved", waitlist_position=position)
        _emit(tx, REGISTRATION_APPROVED, approved, event, rules.AWAITING)
        return approved

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)


def reject(db, principal: Principal, event_id: str, registration_id: str, reason: str | None = None) -> dict:
    def work_on(tx, event, registration, staff):
        try:
            rules.check_registration_move(registration["status"], rules.REJECTED)
        except rules.RuleBroken as exc:
            raise broken(exc) from None
        rejected = _set_status(tx, registration, rules.REJECTED, principal.sub, reason)
        _move_seats(tx, event["_id"], rules.AWAITING, rules.REJECTED)
        _emit(tx, REGISTRATION_REJECTED, rejected, event, rules.AWAITING, reason)
        return rejected

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)


def record_attendance(db, principal: Principal, event_id: str, registration_id: str, status: str) -> dict:
    def work_on(tx, event, registration, staff):
        try:
            if event["status"] not in ("published", "held"):
                raise rules.RuleBroken("Attendance is recorded for published or held events.", "status")
            if clock.now() < event["starts_at"] - rules.CHECK_IN_OPENS_BEFORE:
                raise rules.RuleBroken("Check-in opens on the day of the event.", "status")
            rules.check_registration_move(registration["status"], status)
        except rules.RuleBroken as exc:
            raise broken(exc) from None
        before = registration["status"]
        recorded = _set_status(tx, registration, status, principal.sub)
        _move_seats(tx, event["_id"], before, status)
        _emit(tx, ATTENDANCE_RECORDED, recorded, event, before)
        return recorded

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)
