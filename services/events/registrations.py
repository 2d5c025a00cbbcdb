"""Registration use cases: register, waiting list and promotions, approval, cancellation, check-in.

Capacity is never exceeded and the waiting list follows arrival: see `seats.py` (a new registration draws
its ticket and place atomically on the seat document; rarer changes update it in their transaction).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from typing import NamedTuple

from pymongo.errors import DuplicateKeyError

from services.events import audience, batching, rules
from services.events.access import load_event, load_registration
from services.events.events import (
    SOURCE, ATTENDANCE_RECORDED, REGISTRATION_APPROVED, REGISTRATION_AWAITING, REGISTRATION_CANCELLED,
    REGISTRATION_CONFIRMED, REGISTRATION_REJECTED, REGISTRATION_WAITLISTED,
)
from services.events.references import check_registrant
from services.events import tickets
from services.events.seats import (
    SeatsHeld, atomic_on_seats, draw, draw_many, emit_registration, give_back, move_seats, promote_waitlisted,
    set_status, settle, take_seat,
)
from services.events.store import EVENTS, LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from shared import clock
from shared.access import require_manager
from shared.bus.outbox import Tx, atomic
from shared.errors import DomainError, Forbidden, PreconditionFailed, RuleBroken
from shared.http.auth import Principal
from shared.http.pagination import paginate
from shared.logs import correlation_id_var, current_correlation_id

ON_ARRIVAL = {rules.REGISTERED: REGISTRATION_CONFIRMED, rules.WAITLISTED: REGISTRATION_WAITLISTED,
              rules.AWAITING: REGISTRATION_AWAITING}


def _who(db, principal: Principal, event: dict, data: dict) -> dict:
    """The registrant: yourself (token `sub` = registry person), or for staff a person or a guest."""
    if data.get("guest"):
        guest = data["guest"]
        return {"person_id": None, "guest": True, "first_name": guest["first_name"], "last_name": guest["last_name"],
                "email": guest["email"], "organization": guest.get("organization"), "may_email": True,
                "dedup_key": f"{event['_id']}:guest:{guest['email'].strip().lower()}"}
    if data.get("person_id"):
        check_registrant(db, event["federation"], data["person_id"])
    person_id = data.get("person_id") or principal.sub
    return _person_who(event, person_id, db[PEOPLE].find_one({"_id": person_id, "deleted": {"$ne": True}}))


def _person_who(event: dict, person_id: str, person: dict | None) -> dict:
    """The registrant when it is a registry person (`person`: its projection, None when unknown)."""
    if person is None or person.get("federation") != event["federation"]:
        raise Forbidden("Votre compte ne correspond à aucune personne du registre de cette fédération ; demandez "
                        "aux organisateurs de vous inscrire.", field="person_id")
    return {"person_id": person_id, "guest": False, "first_name": person.get("first_name"),
            "last_name": person.get("last_name"), "email": person.get("email"),
            "may_email": bool(person.get("may_email")), "organization": None,
            "dedup_key": f"{event['_id']}:person:{person_id}"}


def _check_audience(db, event: dict, person_id: str, person: dict | None = None) -> None:
    """Self-registration is for the event's audience; staff may still add anyone explicitly."""
    wanted = event.get("audience") or {}
    if audience.is_open_to_all(wanted):
        return
    person = person if person is not None else db[PEOPLE].find_one({"_id": person_id})
    structure_ids = [r.get("structure_id") for r in person.get("roles") or [] if r.get("structure_id")]
    structures = {d["_id"]: d for d in db[STRUCTURES].find({"_id": {"$in": structure_ids}})}
    groups = {d["_id"]: d for d in db[LOCAL_GROUPS].find({"_id": {"$in": list(wanted.get("local_group_ids") or [])}})}
    if not audience.in_audience(person, wanted, structures, groups, clock.today()):
        raise Forbidden(f"Cet événement est réservé à : {audience.describe(wanted, {g: d.get('name') for g, d in groups.items()})} ; "
                        "demandez aux organisateurs de vous inscrire.", field="audience")


def register(db, principal: Principal, event_id: str, data: dict, batch_max: int = 50,
             gather_seconds: float = 0.0) -> dict:
    """Register: the place (ticket, seat or waiting-list position) is drawn atomically on the seat document
    (`seats.draw`), then the registration and its event are written in one transaction of their own.
    Self-registrations arriving together are drawn and written together, `batch_max` at most (0: each alone);
    while a batch is being written, the next waits up to `gather_seconds` for more (`batching.submit`)."""
    event = _open_event(db, principal, event_id)
    if not principal.can_write(event["federation"]):
        raise Forbidden("Les inscriptions se font au sein de la fédération organisatrice.")
    on_behalf = bool(data.get("person_id") or data.get("guest"))
    if on_behalf and not principal.is_staff:
        raise Forbidden("Seule l'équipe de la fédération inscrit une autre personne ou un invité.", field="person_id")
    if batch_max > 0 and not on_behalf and not event.get("requires_approval"):
        # group commit: registrations of this event arriving together are drawn and written together
        job = batching.submit((id(db.client), db.name, event_id),
                              batching.Job(_Ask(principal, data, current_correlation_id())),
                              lambda jobs: _lead(db, event_id, jobs), batch_max, gather_seconds)
        if job.answered:
            if job.error is not None:
                raise job.error
            return job.result
    return _register_alone(db, principal, event, event_id, data, on_behalf)


def _register_alone(db, principal: Principal, event: dict, event_id: str, data: dict, on_behalf: bool) -> dict:
    """One registration on its own: its person look-up, its draw, its transaction."""
    who = _who(db, principal, event, data)
    if not on_behalf and not principal.is_staff:
        _check_audience(db, event, who["person_id"])
    deadline = time.monotonic() + REGISTER_SECONDS
    existing, look = None, False  # a first registration (the usual case) skips the look-up: see `_Known`
    while True:
        refusal = rules.registration_refusal(event, clock.now())
        if refusal and event.get("_cached"):  # what this process read may be older: ask the store
            event = load_event(db, principal, event_id)
            refusal = rules.registration_refusal(event, clock.now())
        if refusal:
            raise refusal
        if look:
            existing = db[REGISTRATIONS].find_one({"dedup_key": who["dedup_key"]})
            if existing is not None and existing["status"] != rules.CANCELLED:
                raise _already(existing, who)
        try:
            return _register_once(db, principal, event, who, data, existing)
        except _Known:
            if look and existing is None:  # the index knows a registration this look-up did not see yet
                raise RuleBroken("Déjà inscrit à cet événement.",
                                 field="person_id" if who["person_id"] else "guest") from None
            look = True
        except (SeatsHeld, _Again):
            if time.monotonic() > deadline:
                raise _being_changed() from None
            time.sleep(0.01)
            look = True
            event = load_event(db, principal, event_id)


# The events people register to, as last read in this process (by store, database and id). A registration
# checks what it reads here against the event version its draw returns (`seats.touch_seats` keeps it):
# a changed event is read again, in the registration's transaction.
_EVENTS: dict[tuple, dict] = {}
_EVENTS_KEPT = 512


def _open_event(db, principal: Principal, event_id: str) -> dict:
    key = (id(db.client), db.name, event_id)
    event = _EVENTS.get(key)
    if event is None or any(event.get(k) != v for k, v in principal.scope().items()) or (
            event["status"] == "draft" and not (principal.is_national or principal.is_staff)):
        event = load_event(db, principal, event_id)
        if len(_EVENTS) >= _EVENTS_KEPT:
            _EVENTS.clear()
        _EVENTS[key] = {**event, "_cached": True}
    return event


def _forget_event(db, event_id: str) -> None:
    _EVENTS.pop((id(db.client), db.name, event_id), None)


class _Known(Exception):
    """The person already has a registration for this event (the unique index said so)."""


class _Again(Exception):
    """The event changed between its reading and the draw, or the same person registered meanwhile."""


REGISTER_SECONDS = 15.0


def _being_changed() -> RuleBroken:
    return RuleBroken("L'événement est en cours de modification : veuillez réessayer.", field="status")


def _already(existing: dict, who: dict) -> RuleBroken:
    return RuleBroken(f"Déjà inscrit à cet événement (statut `{existing['status']}`).",
                      field="person_id" if who["person_id"] else "guest")


def _register_once(db, principal: Principal, event: dict, who: dict, data: dict, existing: dict | None) -> dict:
    event_id = event["_id"]
    status, position, ticket, seats = draw(db, event)
    # the arrival time drawn with the ticket: creation order is arrival order, across processes too
    now = seats.get("last_arrival") if status != rules.AWAITING else clock.now()
    now = now.replace(tzinfo=dt.timezone.utc) if now.tzinfo is None else now
    stale = seats.get("event_version") != event["version"]
    if stale:
        _forget_event(db, event_id)
    registration_id = existing["_id"] if existing else str(uuid.uuid4())

    def work(tx: Tx) -> dict:
        # First the ticket's record: if a repair declared this draw abandoned meanwhile, nothing is written.
        tickets.claim(tx, event_id, ticket, registration_id)
        current = event
        if stale:  # the event changed since it was read: check the place against what it is now
            current = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
            refusal = rules.registration_refusal(current, clock.now())
            if refusal:
                raise refusal
            capacity = current.get("capacity")
            if (bool(current.get("requires_approval")) != bool(event.get("requires_approval"))
                    or current.get("audience") != event.get("audience")
                    or (status == rules.REGISTERED and capacity is not None and seats["taken"] > capacity)):
                raise _Again()
        entry = {"status": status, "at": now, "by": principal.sub}
        if existing is None:
            registration = {"_id": registration_id, "event_id": event_id, "federation": current["federation"],
                            **who, "note": data.get("note"), "status": status, "waitlist_position": position,
                            "ticket": ticket, "history": [entry], "version": 1, "created_at": now,
                            "updated_at": now, "created_by": principal.sub}
            tx.db[REGISTRATIONS].insert_one(registration, session=tx.session)
        else:  # registering again after a cancellation reuses the registration (one per person and event)
            try:
                registration = set_status(tx, existing, status, principal.sub, waitlist_position=position,
                                          ticket=ticket, note=data.get("note"),
                                          **{k: v for k, v in who.items() if k != "dedup_key"})
            except PreconditionFailed:
                raise _Again() from None
        emit_registration(tx, ON_ARRIVAL[status], registration, current, existing["status"] if existing else None)
        return registration

    try:
        registration = atomic(db, SOURCE, work)
    except tickets.TicketTaken:  # declared abandoned by a repair, which recounted the seats: draw again
        raise _Again() from None
    except DuplicateKeyError:  # already registered (or meanwhile): give the place back, look it up
        give_back(db, event_id, status, ticket, registration_id, position)
        raise _Known() from None
    except (DomainError, _Again):  # refused before anything was written
        give_back(db, event_id, status, ticket, registration_id, position)
        _forget_event(db, event_id)
        raise
    except BaseException:
        # the commit may have landed all the same (its answer lost): then the ticket has its record and
        # give_back does nothing; if even that fails, the repair job settles the ticket
        with contextlib.suppress(Exception):
            give_back(db, event_id, status, ticket, registration_id, position)
        raise
    if status == rules.WAITLISTED:
        settle(db, event)
    return registration


class _Ask(NamedTuple):
    """A registration waiting in its event's lane (`batching`): who asks, their body, their request id."""
    principal: Principal
    data: dict
    correlation_id: str


def _lead(db, event_id: str, jobs: list[batching.Job]):
    """A batch of self-registrations of one event (`batching.submit`'s leader), in its lane: one person
    look-up, one duplicate look-up (for a batch of several), one draw for all. Returns the batch's
    transaction (`_write_batch`), which runs once the lane is free: the next batch draws meanwhile.

    Every refusal and duplicate is decided before the draw, each for its own request; the others draw
    their places together (`seats.draw_many`: consecutive tickets in their order of arrival) and land in
    one transaction with their tickets' records and their events. Jobs left unanswered (a re-registration
    after a cancellation, a batch whose transaction failed) take the one-by-one path in their own thread."""
    lead = jobs[0].payload.principal
    event = _open_event(db, lead, event_id)
    person_ids = list({job.payload.principal.sub for job in jobs})
    people = {p["_id"]: p for p in db[PEOPLE].find({"_id": {"$in": person_ids}, "deleted": {"$ne": True}})}
    members: list[tuple[batching.Job, dict]] = []
    twins: list[tuple[batching.Job, dict]] = []  # the same person again in this batch: answered after it
    keys: set[str] = set()
    for job in jobs:
        principal = job.payload.principal
        try:
            who = _person_who(event, principal.sub, people.get(principal.sub))
            if not principal.is_staff:
                _check_audience(db, event, who["person_id"], people.get(principal.sub))
        except DomainError as exc:
            job.answer(error=exc)
            continue
        (twins if who["dedup_key"] in keys else members).append((job, who))
        keys.add(who["dedup_key"])
    if len(jobs) > 1 and keys:
        # alone, the unique index tells (the one-by-one path then looks); together, one look-up decides
        existing = {r["dedup_key"]: r for r in db[REGISTRATIONS].find({"dedup_key": {"$in": list(keys)}})}
        for job, who in members + twins:
            known = existing.get(who["dedup_key"])
            if known is not None and known["status"] != rules.CANCELLED:
                job.answer(error=_already(known, who))
        # a re-registration after a cancellation reuses its registration: one by one (left unanswered)
        members = [(job, who) for job, who in members if not job.answered and who["dedup_key"] not in existing]
        twins = [(job, who) for job, who in twins if not job.answered]
    deadline = time.monotonic() + REGISTER_SECONDS
    while members:
        refusal = rules.registration_refusal(event, clock.now())
        if refusal and event.get("_cached"):  # what this process read may be older: ask the store
            event = load_event(db, lead, event_id)
            refusal = rules.registration_refusal(event, clock.now())
        if refusal or event.get("requires_approval"):
            for job, _ in members:  # each its own error (or, for approval, the one-by-one path)
                if refusal:
                    job.answer(error=rules.registration_refusal(event, clock.now()) or refusal)
            return None
        drawn = draw_many(db, event, len(members))
        if drawn is not None:
            return lambda: _write_batch(db, event, members, twins, *drawn)
        if time.monotonic() > deadline:
            for job, _ in members:
                job.answer(error=_being_changed())
            return None
        time.sleep(0.01)  # held by an event change: draw again in a moment
        event = load_event(db, lead, event_id)
    return None


def _write_batch(db, event: dict, members: list, twins: list, places: list, seats: dict) -> None:
    """The registrations of a batch, their tickets' records and their events in one transaction; each job
    gets its registration. When the batch cannot be written, its places are given back and its jobs left
    unanswered: each goes one by one (draws again)."""
    event_id = event["_id"]
    stale = seats.get("event_version") != event["version"]
    if stale:
        _forget_event(db, event_id)
    ids = [str(uuid.uuid4()) for _ in members]

    def work(tx: Tx) -> list[dict]:
        # First the tickets' records: if a repair declared these draws abandoned meanwhile, nothing is written.
        tickets.claim_many(tx, event_id, [(ticket, rid) for (_, _, ticket, _), rid in zip(places, ids)])
        current = event
        if stale:  # the event changed since it was read: check the places against what it is now
            current = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
            refusal = rules.registration_refusal(current, clock.now())
            capacity = current.get("capacity")
            seated = any(status == rules.REGISTERED for status, *_ in places)
            if (refusal or bool(current.get("requires_approval")) != bool(event.get("requires_approval"))
                    or current.get("audience") != event.get("audience")
                    or (seated and capacity is not None and seats["taken"] > capacity)):
                raise _Again()
        registrations = []
        for (job, who), (status, position, ticket, now), rid in zip(members, places, ids):
            principal, data = job.payload.principal, job.payload.data
            entry = {"status": status, "at": now, "by": principal.sub}
            registrations.append({"_id": rid, "event_id": event_id, "federation": current["federation"], **who,
                                  "note": data.get("note"), "status": status, "waitlist_position": position,
                                  "ticket": ticket, "history": [entry], "version": 1, "created_at": now,
                                  "updated_at": now, "created_by": principal.sub})
        tx.db[REGISTRATIONS].insert_many(registrations, session=tx.session)
        for (job, _), registration in zip(members, registrations):
            token = correlation_id_var.set(job.payload.correlation_id)  # each event carries its request's id
            try:
                emit_registration(tx, ON_ARRIVAL[registration["status"]], registration, current, None)
            finally:
                correlation_id_var.reset(token)
        return registrations

    def give_all_back() -> None:
        # the last places first: a position nobody drew after goes back to the list, no gap is left
        for (status, position, ticket, _), rid in reversed(list(zip(places, ids))):
            with contextlib.suppress(Exception):  # if even that fails, the repair job settles the ticket
                give_back(db, event_id, status, ticket, rid, position)

    try:
        written = atomic(db, SOURCE, work)
    except (tickets.TicketTaken, _Again):  # declared abandoned by a repair, or the event changed
        give_all_back()
        _forget_event(db, event_id)
        return
    except BaseException:
        # duplicates that raced the look-up, or a failure. The commit may have landed all the same (its
        # answer lost): then the tickets have their records and nothing is given back.
        give_all_back()
        try:
            if not tickets.landed(db, event_id, [ticket for _, _, ticket, _ in places]):
                return
            written = [db[REGISTRATIONS].find_one({"_id": rid}) for rid in ids]
        except Exception:  # noqa: BLE001 - the store cannot tell: one by one (a landed one is then a 409)
            return
    for (job, _), registration in zip(members, written):
        job.answer(registration)
    by_key = {who["dedup_key"]: registration for (_, who), registration in zip(members, written)}
    for job, who in twins:
        if who["dedup_key"] in by_key:
            job.answer(error=_already(by_key[who["dedup_key"]], who))
    if any(r["status"] == rules.WAITLISTED for r in written):
        with contextlib.suppress(Exception):  # landed: a promotion left undone waits for the next landing
            settle(db, event)


def get_registration(db, principal: Principal, event_id: str, registration_id: str) -> dict:
    return load_registration(db, principal, event_id, registration_id)[1]


def list_registrations(db, principal: Principal, event_id: str, args: dict) -> dict:
    event = load_event(db, principal, event_id)
    if not principal.is_national:
        require_manager(principal, event["federation"], "Seule l'équipe de la fédération voit qui est inscrit.")
    query = {"event_id": event_id, **({"status": args["status"]} if args.get("status") else {})}
    return paginate(db[REGISTRATIONS], query, args, sort=[("created_at", 1), ("_id", 1)])


def my_registrations(db, principal: Principal, args: dict) -> dict:
    """Your registrations, newest first, each with the event it is for."""
    query = {"person_id": principal.sub, "federation": principal.federation,
             **({"status": args["status"]} if args.get("status") else {})}
    page = paginate(db[REGISTRATIONS], query, args, sort=[("created_at", -1), ("_id", 1)])
    events = {e["_id"]: e for e in db[EVENTS].find({"_id": {"$in": [r["event_id"] for r in page["items"]]}})}
    page["items"] = [{**r, "event": events.get(r["event_id"])} for r in page["items"]]
    return page


def _change(db, principal, event_id, registration_id, *, manage: bool, work_on):
    event, registration, staff = load_registration(db, principal, event_id, registration_id, manage=manage,
                                                   change=True)

    def work(tx: Tx) -> dict:
        current_event = tx.db[EVENTS].find_one({"_id": event_id}, session=tx.session)
        current = tx.db[REGISTRATIONS].find_one({"_id": registration_id}, session=tx.session)
        return work_on(tx, current_event, current, staff)

    return atomic_on_seats(db, event_id, work)


def cancel_registration(db, principal: Principal, event_id: str, registration_id: str,
                        reason: str | None = None) -> dict:
    def work_on(tx, event, registration, staff):
        if event["status"] not in ("draft", "published"):
            raise RuleBroken(f"L'événement est `{event['status']}` : ses inscriptions ne peuvent plus changer.",
                             field="status")
        rules.check_registration_move(registration["status"], rules.CANCELLED)
        refusal = None if staff else rules.self_cancel_refusal(event, clock.now())
        if refusal:
            raise refusal
        before = registration["status"]
        cancelled = set_status(tx, registration, rules.CANCELLED, principal.sub, reason)
        seats = move_seats(tx, event["_id"], before, rules.CANCELLED)
        emit_registration(tx, REGISTRATION_CANCELLED, cancelled, event, before, reason)
        if before == rules.REGISTERED:
            promote_waitlisted(tx, event, seats)
        return cancelled

    return _change(db, principal, event_id, registration_id, manage=False, work_on=work_on)


def approve(db, principal: Principal, event_id: str, registration_id: str) -> dict:
    def work_on(tx, event, registration, staff):
        rules.check_registration_move(registration["status"], "approved")
        if event["status"] != "published":
            raise RuleBroken("Les inscriptions s'acceptent sur les événements publiés.", field="status")
        status, position, ticket = take_seat(tx, {**event, "requires_approval": False}, registration["_id"])
        move_seats(tx, event["_id"], rules.AWAITING, None)  # no longer awaiting
        approved = set_status(tx, registration, status, principal.sub, "approved", waitlist_position=position,
                              ticket=ticket)
        emit_registration(tx, REGISTRATION_APPROVED, approved, event, rules.AWAITING)
        return approved

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)


def reject(db, principal: Principal, event_id: str, registration_id: str, reason: str | None = None) -> dict:
    def work_on(tx, event, registration, staff):
        rules.check_registration_move(registration["status"], rules.REJECTED)
        rejected = set_status(tx, registration, rules.REJECTED, principal.sub, reason)
        move_seats(tx, event["_id"], rules.AWAITING, rules.REJECTED)
        emit_registration(tx, REGISTRATION_REJECTED, rejected, event, rules.AWAITING, reason)
        return rejected

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)


def record_attendance(db, principal: Principal, event_id: str, registration_id: str, status: str) -> dict:
    def work_on(tx, event, registration, staff):
        if event["status"] not in ("published", "held"):
            raise RuleBroken("La présence se note sur les événements publiés ou tenus.", "status")
        if clock.now() < event["starts_at"] - rules.CHECK_IN_OPENS_BEFORE:
            raise RuleBroken("L'émargement ouvre le jour de l'événement.", "status")
        rules.check_registration_move(registration["status"], status)
        before = registration["status"]
        recorded = set_status(tx, registration, status, principal.sub)
        move_seats(tx, event["_id"], before, status)
        emit_registration(tx, ATTENDANCE_RECORDED, recorded, event, before)
        return recorded

    return _change(db, principal, event_id, registration_id, manage=True, work_on=work_on)
