"""Event use cases: each checks the rules, writes, and emits its events in one transaction.

Registrations are in `registrations.py`; the public agenda in `agenda.py`; figures in `stats.py`.
"""
from __future__ import annotations

import datetime as dt
import uuid

from services.events import clock, rules
from services.events.references import check_event_references
from services.events.events import (
    EVENT_CANCELLED, EVENT_HELD, EVENT_PUBLISHED, EVENT_RESCHEDULED, EVENT_UPDATED, SOURCE,
)
from services.events.seats import promote_waitlisted, touch_seats
from services.events.store import EVENTS, REGISTRATIONS, SEATS, event_filter
from services.events.views import event_state, present_event, recipient
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

DATETIME_FIELDS = ("starts_at", "ends_at", "minimum_deadline", "registration_deadline", "cancellation_deadline")
NOTIFIED = ("registered", "waitlisted", "awaiting_approval")


def broken(exc: rules.RuleBroken, status: int = 409) -> Conflict:
    return Conflict(str(exc), field=exc.field, status=status)


# --- access ---------------------------------------------------------------------------------------

def visible(principal: Principal | None, event: dict | None) -> bool:
    """Staff of its federation (and national) see drafts; members see the rest of their federation."""
    if event is None or principal is None or not principal.can_read(event["federation"]):
        return False
    return event["status"] != "draft" or principal.is_national or principal.is_staff


def load_event(db, principal: Principal, event_id: str, *, manage: bool = False) -> dict:
    event = db[EVENTS].find_one({"_id": event_id})
    if not visible(principal, event):
        raise NotFound("event")
    if manage and not (principal.is_staff and principal.can_write(event["federation"])):
        raise Conflict("Only the organizing federation's staff manage this event.", status=403)
    return event


def get_event(db, principal: Principal, event_id: str) -> dict:
    event = load_event(db, principal, event_id)
    return present_event(event, db[SEATS].find_one({"_id": event_id}))


def day_range(args: dict):
    start = args.get("from_")
    end = args.get("to")
    as_dt = lambda d: dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)  # noqa: E731
    return (as_dt(start) if start else None), (as_dt(end) + dt.timedelta(days=1) if end else None)


def list_events(db, principal: Principal, args: dict) -> dict:
    query = event_filter(principal.scope(args.get("federation")), args, *day_range(args))
    if not (principal.is_staff or principal.is_national):
        query.setdefault("status", {"$ne": "draft"})
        if query["status"] == "draft":
            query["status"] = {"$in": []}
    page = paginate(db[EVENTS], query, args, sort=[("starts_at", 1), ("_id", 1)])
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in page["items"]]}})}
    page["items"] = [present_event(e, seats.get(e["_id"])) for e in page["items"]]
    return page


# --- writing --------------------------------------------------------------------------------------

def _in_utc(data: dict, timezone: str) -> dict:
    for key in DATETIME_FIELDS:
        if data.get(key) is not None:
            data[key] = rules.to_utc(data[key], timezone)
    return data


def _checked(event: dict) -> dict:
    try:
        rules.check_event(event)
    except rules.RuleBroken as exc:
        raise broken(exc, 422) from None
    return event


def new_event(principal: Principal, data: dict, federation: str) -> dict:
    now = clock.now()
    event_id = str(uuid.uuid4())
    data = _in_utc(dict(data), data.get("timezone") or rules.DEFAULT_TZ)
    organizers = list(dict.fromkeys([*(data.pop("organizer_ids", None) or []), principal.sub]))
    event = {
        "_id": event_id, "federation": federation, "timezone": rules.DEFAULT_TZ, "agenda_items": [],
        "speakers": [], "requires_approval": False, "capacity": None, "min_participants": None,
        **{k: v for k, v in data.items()}, "organizer_ids": organizers,
        "status": "draft", "cancel_reason": None, "replay_views": 0, "version": 1,
        "created_at": now, "updated_at": now, "created_by": principal.sub,
    }
    if event["kind"] == "local_group_meeting" and event.get("local_group_id") and not event.get("series_id"):
        event["series_id"] = event_id  # a local group's meetings form a series, named after its first one
    return _checked(event)


def _seats_doc(event: dict) -> dict:
    return {"_id": event["_id"], "federation": event["federation"], "taken": 0, "waitlisted": 0, "awaiting": 0,
            "attended": 0, "absent": 0, "next_position": 0}


def create_event(db, principal: Principal, data: dict) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Conflict("You can only organize events of your own federation.", field="federation", status=403)
    check_event_references(db, federation, data)
    event = new_event(principal, data, federation)

    def work(tx: Tx) -> dict:
        tx.db[EVENTS].insert_one(event, session=tx.session)
        tx.db[SEATS].insert_one(_seats_doc(event), session=tx.session)
        return event

    return present_event(atomic(db, SOURCE, work), _seats_doc(event))


def _recipients(tx: Tx, event_id: str) -> list[dict]:
    regs = tx.db[REGISTRATIONS].find({"event_id": event_id, "status": {"$in": list(NOTIFIED)}},
                                     session=tx.session).sort([("created_at", 1)])
    return [recipient(r) for r in regs]


def _replace(tx: Tx, event: dict, expected_version: int) -> None:
    result = tx.db[EVENTS].replace_one({"_id": event["_id"], "version": expected_version}, event, session=tx.session)
    if result.matched_count == 0:
        raise Conflict("The event changed meanwhile; read it again.", status=412)


def update_event(db, principal: Principal, event_id: str, changes: dict, expected_version: int) -> dict:
    current = load_event(db, principal, event_id, manage=True)
    if current["status"] in ("held", "cancelled"):
        raise Conflict(f"A {current['status']} event can no longer be changed.", field="status")
    check_event_references(db, current["federation"], changes, current)
    timezone = changes.get("timezone") or current.get("timezone") or rules.DEFAULT_TZ
    changes = _in_utc(dict(changes), timezone)
    if "organizer_ids" in changes:
        changes["organizer_ids"] = list(dict.fromkeys([*changes["organizer_ids"], current["created_by"]]))
    updated = {**current, **changes}
    changed = sorted(k for k in changes if current.get(k) != updated.get(k))
    if not changed:
        return present_event(current, db[SEATS].find_one({"_id": event_id}))
    _checked(updated)
    updated["version"] = expected_version + 1
    updated["updated_at"] = clock.now()
    moved = rules.reschedule_changes(current, updated)

    def work(tx: Tx) -> dict:
        seats = touch_seats(tx, updated)
        capacity = updated.get("capacity")
        if capacity is not None and capacity < seats["taken"]:
            raise Conflict(f"{seats['taken']} people already have a seat: the capacity cannot go below that.",
                           field="capacity")
        _replace(tx, updated, expected_version)
        if updated["status"] == "published":
            if moved:
                previous = {k: current.get(k) for k in ("starts_at", "ends_at", "format", "venue", "video_link")}
                tx.emit(EVENT_RESCHEDULED, subject=event_id, sequence=updated["version"],
                        federation=updated["federation"],
                        data={**event_state(updated), "changed": moved, "previous": previous,
                              "recipients": _recipients(tx, event_id)})
            else:
                tx.emit(EVENT_UPDATED, subject=event_id, sequence=updated["version"], federation=updated["federation"],
                        data={**event_state(updated), "changed": changed})
            if "capacity" in changed:
                seats = promote_waitlisted(tx, updated, seats)
        return seats

    seats = atomic(db, SOURCE, work)
    return present_event(updated, seats)


def _move(db, principal: Principal, event_id: str, target: str, expected_version: int | None, fields: dict,
          emit) -> dict:
    current = load_event(db, principal, event_id, manage=True)
    version = current["version"] if expected_version is None else expected_version
    try:
        if target == "held":
            rules.check_can_hold(current, clock.now())
        else:
            rules.check_transition(current["status"], target)
    except rules.RuleBroken as exc:
        raise broken(exc) from None
    now = clock.now()
    updated = {**current, **fields, "status": target, "version": version + 1, "updated_at": now}

    def work(tx: Tx) -> dict:
        _replace(tx, updated, version)
        seats = touch_seats(tx, updated)
        emit(tx, updated, seats)
        return seats

    seats = atomic(db, SOURCE, work)
    return present_event(updated, seats)


def publish_event(db, principal: Principal, event_id: str, expected_version: int | None = None) -> dict:
    def emit(tx, event, seats):
        tx.emit(EVENT_PUBLISHED, subject=event["_id"], sequence=event["version"], federation=event["federation"],
                data=event_state(event))
    return _move(db, principal, event_id, "published", expected_version, {"published_at": clock.now()}, emit)


def cancel_event(db, principal: Principal, event_id: str, reason: str, expected_version: int | None = None) -> dict:
    def emit(tx, event, seats):
        if event.get("published_at"):  # a draft nobody saw is dropped silently
            tx.emit(EVENT_CANCELLED, subject=event["_id"], sequence=event["version"], federation=event["federation"],
                    data={**event_state(event), "recipients": _recipients(tx, event["_id"])})
    return _move(db, principal, event_id, "cancelled", expected_version,
                 {"cancel_reason": reason, "cancelled_at": clock.now()}, emit)


def hold_event(db, principal: Principal, event_id: str, expected_version: int | None = None) -> dict:
    def emit(tx, event, seats):
        tx.emit(EVENT_HELD, subject=event["_id"], sequence=event["version"], federation=event["federation"],
                data={**event_state(event), "registered": seats["taken"], "attended": seats.get("attended", 0),
                      "absent": seats.get("absent", 0)})
    return _move(db, principal, event_id, "held", expected_version, {"held_at": clock.now()}, emit)


def schedule_next(db, principal: Principal, event_id: str, data: dict) -> dict:
    """From a held meeting, the next one of its series (a draft, or published at once)."""
    previous = load_event(db, principal, event_id, manage=True)
    try:
        template = rules.next_meeting(previous)
    except rules.RuleBroken as exc:
        raise broken(exc) from None
    check_event_references(db, previous["federation"], data, previous)
    publish = data.pop("publish", False)
    series_id = previous.get("series_id") or previous["_id"]
    fields = {**{k: v for k, v in template.items() if v is not None and k != "federation"},
              "agenda_items": [], **data, "series_id": series_id,
              "organizer_ids": previous.get("organizer_ids") or []}
    event = new_event(principal, fields, previous["federation"])
    event["previous_event_id"] = previous["_id"]
    if publish:
        event.update(status="published", published_at=clock.now())
    linked = {**previous, "next_event_id": event["_id"], "series_id": series_id,
              "version": previous["version"] + 1, "updated_at": clock.now()}

    def work(tx: Tx) -> dict:
        _replace(tx, linked, previous["version"])
        tx.db[EVENTS].insert_one(event, session=tx.session)
        tx.db[SEATS].insert_one(_seats_doc(event), session=tx.session)
        if publish:
            tx.emit(EVENT_PUBLISHED, subject=event["_id"], sequence=event["version"], federation=event["federation"],
                    data=event_state(event))
        return event

    return present_event(atomic(db, SOURCE, work), _seats_doc(event))


def record_replay_views(db, principal: Principal, event_id: str, views: int) -> dict:
    event = load_event(db, principal, event_id, manage=True)
    if event["kind"] != "webinar":
        raise Conflict("Replay views are recorded for webinars only.", field="kind")
    if event["status"] not in ("published", "held"):
        raise Conflict("Replay views are recorded for published or held webinars.", field="status")
    db[EVENTS].update_one({"_id": event_id}, {"$inc": {"replay_views": views}})
    return get_event(db, principal, event_id)
