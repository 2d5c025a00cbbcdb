"""Event (meeting) use cases: create, change / reschedule, publish, cancel, hold, schedule the next meeting
of a series, replay views, the go / no-go warning. Each checks the rules, writes, and emits its events in
one transaction.

Registrations are in `registrations.py`; the public agenda in `agenda.py`; figures in `stats.py`; who may
see and manage an event in `access.py`.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from services.events import rules
from services.events.access import load_event
from services.events.events import (
    EVENT_CANCELLED, EVENT_HELD, EVENT_INVITED, EVENT_PUBLISHED, EVENT_RESCHEDULED, EVENT_UPDATED, MINIMUM_NOT_REACHED, SOURCE,
    event_state, recipient,
)
from services.events.references import check_event_references
from services.events.repair import quiet
from services.events.seats import new_seats, promote_waitlisted, seats_view, touch_seats
from services.events.store import EVENTS, REGISTRATIONS, SEATS, event_filter
from shared import clock
from shared.access import replace_at_version
from shared.bus.outbox import Tx, atomic
from shared.errors import Forbidden, RuleBroken
from shared.http.auth import Principal
from shared.http.pagination import paginate

DATETIME_FIELDS = ("starts_at", "ends_at", "minimum_deadline", "registration_deadline", "cancellation_deadline")
NOTIFIED = ("registered", "waitlisted", "awaiting_approval")


def present_event(event: dict, seats: dict | None = None) -> dict:
    """An event as the API shows it: with its local times and seats."""
    return {**{k: v for k, v in event.items() if k != "demo_ref"}, **rules.local_times(event),
            "seats": seats_view(event, seats)}


# --- reading --------------------------------------------------------------------------------------

def get_event(db, principal: Principal, event_id: str) -> dict:
    event = load_event(db, principal, event_id)
    seen = with_places(db, principal, [event])[0]
    return present_event(seen, db[SEATS].find_one({"_id": event_id}))


def with_places(db, principal: Principal, events: list[dict]) -> list[dict]:
    """The events as the caller sees them: the address and the video link for the federation's staff, national
    readers, the organizers and whoever has a seat; the town only for the other members."""
    def runs_it(event: dict) -> bool:
        return (principal.manages(event["federation"]) or principal.is_national
                or principal.sub in (event.get("organizer_ids") or []))

    others = [e["_id"] for e in events if not runs_it(e)]
    seated = {r["event_id"] for r in db[REGISTRATIONS].find(
        {"event_id": {"$in": others}, "person_id": principal.sub, "status": {"$in": list(rules.SEATED)}},
        {"event_id": 1})} if others and principal.sub else set()
    return [rules.with_place_for(e, runs_it(e) or e["_id"] in seated) for e in events]


def day_range(args: dict):
    """The `from` / `to` days of a query as a half-open UTC range (`to` included)."""
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
    page["items"] = [present_event(e, seats.get(e["_id"])) for e in with_places(db, principal, page["items"])]
    return page


# --- writing --------------------------------------------------------------------------------------

def _in_utc(data: dict, timezone: str) -> dict:
    for key in DATETIME_FIELDS:
        if data.get(key) is not None:
            data[key] = rules.to_utc(data[key], timezone)
    return data


def new_event(principal: Principal, data: dict, federation: str) -> dict:
    now = clock.now()
    event_id = str(uuid.uuid4())
    data = _in_utc(dict(data), data.get("timezone") or rules.DEFAULT_TZ)
    organizers = list(dict.fromkeys([*(data.pop("organizer_ids", None) or []), principal.sub]))
    event = {
        "_id": event_id, "federation": federation, "timezone": rules.DEFAULT_TZ, "agenda_items": [],
        "speakers": [], "requires_approval": False, "capacity": None, "min_participants": None,
        **data, "organizer_ids": organizers,
        "status": "draft", "cancel_reason": None, "replay_views": 0, "version": 1,
        "created_at": now, "updated_at": now, "created_by": principal.sub,
    }
    if event["kind"] == "local_group_meeting" and event.get("local_group_id") and not event.get("series_id"):
        event["series_id"] = event_id  # a local group's meetings form a series, named after its first one
    rules.check_event(event)
    return event


def _insert(tx: Tx, event: dict) -> None:
    tx.db[EVENTS].insert_one(event, session=tx.session)
    tx.db[SEATS].insert_one(new_seats(event), session=tx.session)


def create_event(db, principal: Principal, data: dict) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Forbidden("Vous ne pouvez organiser que des événements de votre propre fédération.", field="federation")
    check_event_references(db, federation, data)
    event = new_event(principal, data, federation)
    atomic(db, SOURCE, lambda tx: _insert(tx, event))
    return present_event(event, new_seats(event))


def _recipients(tx: Tx, event_id: str) -> list[dict]:
    regs = tx.db[REGISTRATIONS].find({"event_id": event_id, "status": {"$in": list(NOTIFIED)}},
                                     session=tx.session).sort([("created_at", 1)])
    return [recipient(r) for r in regs]


def _emit(tx: Tx, event_type, event: dict, **data) -> None:
    tx.emit(event_type, subject=event["_id"], sequence=event["version"], federation=event["federation"],
            data={**event_state(event), **data})


def update_event(db, principal: Principal, event_id: str, changes: dict, expected_version: int) -> dict:
    current = load_event(db, principal, event_id, manage=True)
    if current["status"] in ("held", "cancelled"):
        raise RuleBroken(f"Un événement `{current['status']}` ne peut plus être modifié.", field="status")
    check_event_references(db, current["federation"], changes, current)
    timezone = changes.get("timezone") or current.get("timezone") or rules.DEFAULT_TZ
    changes = _in_utc(dict(changes), timezone)
    if "organizer_ids" in changes:
        changes["organizer_ids"] = list(dict.fromkeys([*changes["organizer_ids"], current["created_by"]]))
    updated = {**current, **changes}
    changed = sorted(k for k in changes if current.get(k) != updated.get(k))
    if not changed:
        return present_event(current, db[SEATS].find_one({"_id": event_id}))
    rules.check_event(updated)
    updated.update(version=expected_version + 1, updated_at=clock.now())
    moved = rules.reschedule_changes(current, updated)

    def work(tx: Tx) -> dict:
        seats = touch_seats(tx, updated)
        capacity = updated.get("capacity")
        if capacity is not None and capacity < seats["taken"]:
            raise RuleBroken(f"{seats['taken']} personne(s) ont déjà une place : la capacité ne peut pas descendre en dessous.",
                             field="capacity")
        replace_at_version(tx.db, EVENTS, updated, expected_version, session=tx.session)
        if updated["status"] == "published":
            if moved:
                previous = {k: current.get(k) for k in ("starts_at", "ends_at", "format", "venue", "video_link")}
                _emit(tx, EVENT_RESCHEDULED, updated, changed=moved, previous=previous,
                      recipients=_recipients(tx, event_id))
            else:
                _emit(tx, EVENT_UPDATED, updated, changed=changed)
            if "capacity" in changed:
                seats = promote_waitlisted(tx, updated, seats)
        return seats

    with _quiet_if_open(db, current):
        seats = atomic(db, SOURCE, work)
    return present_event(updated, seats)


def _quiet_if_open(db, event: dict):
    """A change to an event open for registrations holds new ones and lets those in flight land first
    (`repair.quiet`): whoever registered is among the people it tells, and the capacity it checks is final."""
    return quiet(db, event["_id"]) if event["status"] == "published" else contextlib.nullcontext()


def _move(db, principal: Principal, event_id: str, target: str, expected_version: int | None, fields: dict,
          emit) -> dict:
    current = load_event(db, principal, event_id, manage=True)
    version = current["version"] if expected_version is None else expected_version
    if target == "held":
        rules.check_can_hold(current, clock.now())
    else:
        rules.check_transition(current["status"], target)
    changed = {**current, **fields, "status": target, "updated_at": clock.now()}

    def work(tx: Tx) -> tuple[dict, dict]:
        updated = replace_at_version(tx.db, EVENTS, changed, version, session=tx.session)
        seats = touch_seats(tx, updated)
        emit(tx, updated, seats)
        return updated, seats

    with _quiet_if_open(db, current):
        return present_event(*atomic(db, SOURCE, work))


def publish_event(db, principal: Principal, event_id: str, expected_version: int | None = None) -> dict:
    return _move(db, principal, event_id, "published", expected_version, {"published_at": clock.now()},
                 lambda tx, event, seats: _emit(tx, EVENT_PUBLISHED, event))


def invite(db, principal: Principal, event_id: str, audience: dict, expected_version: int | None = None) -> dict:
    """Invite more people to a published event (`audience`: local groups, structure kinds, roles, each given
    dimension to match, as the event's own audience); notifications invites those of them not invited yet.
    The event keeps each such invitation (`invitations`), its own audience stays what it was published with."""
    current = load_event(db, principal, event_id, manage=True)
    if current["status"] != "published":
        raise RuleBroken("Les invitations concernent un événement publié : publiez-le d'abord (elles partent alors), "
                         "et plus une fois qu'il est tenu ou annulé.", field="status")
    check_event_references(db, current["federation"], {"audience": audience}, current)
    invited = rules.audience_of(audience)
    version = current["version"] if expected_version is None else expected_version
    record = {"audience": invited, "at": clock.now(), "by": principal.sub}
    changed = {**current, "invitations": [*(current.get("invitations") or []), record], "updated_at": clock.now()}

    def work(tx: Tx) -> tuple[dict, dict]:
        updated = replace_at_version(tx.db, EVENTS, changed, version, session=tx.session)
        _emit(tx, EVENT_INVITED, updated, invited=invited)
        return updated, touch_seats(tx, updated)

    return present_event(*atomic(db, SOURCE, work))


def cancel_event(db, principal: Principal, event_id: str, reason: str, expected_version: int | None = None) -> dict:
    def emit(tx, event, seats):
        if event.get("published_at"):  # a draft nobody saw is dropped silently
            _emit(tx, EVENT_CANCELLED, event, recipients=_recipients(tx, event["_id"]))
    return _move(db, principal, event_id, "cancelled", expected_version,
                 {"cancel_reason": reason, "cancelled_at": clock.now()}, emit)


def hold_event(db, principal: Principal, event_id: str, expected_version: int | None = None) -> dict:
    def emit(tx, event, seats):
        _emit(tx, EVENT_HELD, event, registered=seats["taken"], attended=seats.get("attended", 0),
              absent=seats.get("absent", 0))
    return _move(db, principal, event_id, "held", expected_version, {"held_at": clock.now()}, emit)


def schedule_next(db, principal: Principal, event_id: str, data: dict) -> dict:
    """From a held meeting, the next one of its series (a draft, or published at once)."""
    previous = load_event(db, principal, event_id, manage=True)
    template = rules.next_meeting(previous)
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
    linked = {**previous, "next_event_id": event["_id"], "series_id": series_id, "updated_at": clock.now()}

    def work(tx: Tx) -> None:
        replace_at_version(tx.db, EVENTS, linked, previous["version"], session=tx.session)
        _insert(tx, event)
        if publish:
            _emit(tx, EVENT_PUBLISHED, event)

    atomic(db, SOURCE, work)
    return present_event(event, new_seats(event))


def record_replay_views(db, principal: Principal, event_id: str, views: int) -> dict:
    event = load_event(db, principal, event_id, manage=True)
    if event["kind"] != "webinar":
        raise RuleBroken("Les vues du replay ne se comptent que pour les webinaires.", field="kind")
    if event["status"] not in ("published", "held"):
        raise RuleBroken("Les vues du replay se comptent pour les webinaires publiés ou tenus.", field="status")
    db[EVENTS].update_one({"_id": event_id}, {"$inc": {"replay_views": views}})
    return get_event(db, principal, event_id)


# --- go / no-go -----------------------------------------------------------------------------------

def check_minimums(db, settings=None) -> int:
    """The go / no-go job: warn the organizers (once) of published events whose minimum of participants is
    not reached by its date. Returns how many events were flagged. Safe to run concurrently."""
    candidates = db[EVENTS].find({"status": "published", "min_participants": {"$gt": 0},
                                  "minimum_warned_at": None, "ends_at": {"$gte": clock.now()}},
                                 {"_id": 1})
    flagged = 0
    for candidate in list(candidates):
        def work(tx: Tx, event_id=candidate["_id"]) -> bool:
            event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
            seats = tx.db[SEATS].find_one({"_id": event_id}, session=tx.session) or {}
            if not rules.minimum_missed(event, seats, clock.now()):
                return False
            # The warning goes once: the flag is part of the event's state (new version).
            event = replace_at_version(tx.db, EVENTS, {**event, "minimum_warned_at": clock.now()}, event["version"],
                                       session=tx.session)
            touch_seats(tx, event)
            _emit(tx, MINIMUM_NOT_REACHED, event, taken=seats.get("taken", 0))
            return True
        flagged += bool(atomic(db, SOURCE, work))
    return flagged
