"""Whatever people and organizers do, in any order, the seat counters equal a recount of the
registrations, the capacity holds, nobody waits while a seat is free, and ranks follow tickets (the order
of arrival): every seat holder arrived before everyone waiting, and the waiting list is in ticket order.
The same once the repair has run when processes died between their draw and their commit; before it, the
counters are only ever too high (a dead draw never gives out a seat that does not exist)."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.events import meetings, registrations, repair, seats as seat_doc, tickets
from services.events.seats import COUNTERS, recount
from services.events.store import PEOPLE, REGISTRATIONS, SEATS
from shared.http.auth import Principal
from shared.errors import DomainError

PEOPLE_IDS = [f"inv-{i}" for i in range(8)]
STAFF = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))
OPS = st.lists(st.tuples(st.sampled_from(["register", "cancel", "approve", "reject", "capacity"]),
                         st.integers(0, len(PEOPLE_IDS) - 1), st.integers(1, 5)), min_size=1, max_size=25)
# …and processes that die right after their draw, and the repair job passing by.
OPS_WITH_DEATHS = st.lists(st.tuples(st.sampled_from(["register", "register", "cancel", "approve", "reject",
                                                      "capacity", "killed", "repair"]),
                                     st.integers(0, len(PEOPLE_IDS) - 1), st.integers(1, 5)),
                           min_size=1, max_size=25)


def check_invariants(db, event_id):
    """Counters = recount, capacity, nobody waits while a seat is free, every ticket recorded, ranks
    follow tickets."""
    event = db.events.find_one({"_id": event_id})
    seats = db[SEATS].find_one({"_id": event_id})
    regs = list(db[REGISTRATIONS].find({"event_id": event_id}))
    count = Counter(r["status"] for r in regs)
    assert {k: seats.get(k, 0) for k in COUNTERS} == recount(db, event_id)
    assert seats["taken"] == count["registered"] + count["attended"] + count["absent"]
    assert seats["waitlisted"] == count["waitlisted"] and seats["awaiting"] == count["awaiting_approval"]
    assert seats["taken"] <= event["capacity"]
    if count["waitlisted"]:
        assert seats["taken"] == event["capacity"]  # nobody waits while a seat is free
    positions = [r["waitlist_position"] for r in regs if r["status"] == "waitlisted"]
    assert len(positions) == len(set(positions))
    assert tickets.unrecorded(db, event_id, seats.get("tickets", 0)) == set()
    check_ranks_follow_tickets(regs)


_check = check_invariants


def check_ranks_follow_tickets(regs):
    """Seats went to the earliest tickets, and the waiting list is in ticket order (no two share one)."""
    active = [r for r in regs if r["status"] in ("registered", "attended", "absent", "waitlisted")]
    tickets = [r["ticket"] for r in active]
    assert None not in tickets and len(tickets) == len(set(tickets))
    waiting = sorted((r for r in active if r["status"] == "waitlisted"), key=lambda r: r["ticket"])
    seated = [r["ticket"] for r in active if r["status"] != "waitlisted"]
    if waiting and seated:
        assert max(seated) < waiting[0]["ticket"]  # nobody holds a seat who arrived after someone waiting
    assert [r["waitlist_position"] for r in waiting] == sorted(r["waitlist_position"] for r in waiting)


def _check_before_repair(db, event_id):
    """With dead draws not repaired yet: the counters are only ever too high, so the capacity still holds."""
    event = db.events.find_one({"_id": event_id})
    seats = db[SEATS].find_one({"_id": event_id})
    real = recount(db, event_id)
    assert all(seats.get(k, 0) >= v for k, v in real.items())
    assert real["taken"] <= max(event["capacity"], real["taken"] if real["taken"] <= seats["taken"] else 0)
    check_ranks_follow_tickets(list(db[REGISTRATIONS].find({"event_id": event_id})))


@given(ops=OPS, approval=st.booleans())
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_seat_counters_always_match_the_registrations(events_rt, body, ops, approval):
    db = events_rt.db
    event = _published_seminar(db, body, approval)
    for op, who, n in ops:
        pid = PEOPLE_IDS[who]
        mine = db[REGISTRATIONS].find_one({"event_id": event["_id"], "person_id": pid})
        try:
            if op == "register":
                registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), event["_id"], {})
            elif op == "capacity":
                current = db.events.find_one({"_id": event["_id"]})
                meetings.update_event(db, STAFF, event["_id"], {"capacity": n}, current["version"])
            elif mine is not None:
                action = {"cancel": registrations.cancel_registration, "approve": registrations.approve,
                          "reject": registrations.reject}[op]
                action(db, STAFF, event["_id"], mine["_id"])
        except DomainError:
            pass  # refused by a rule: nothing changed
        _check(db, event["_id"])


def _published_seminar(db, body, approval: bool) -> dict:
    """A published 2-seat seminar, and the people who register (once per test database)."""
    if db[PEOPLE].count_documents({}) == 0:
        db[PEOPLE].insert_many([{"_id": pid, "federation": "apmsl", "first_name": "P", "last_name": pid,
                                 "email": None, "may_email": False, "roles": [], "sequence": 1}
                                for pid in PEOPLE_IDS])
    event = meetings.create_event(db, STAFF, {**_create(body), "capacity": 2, "requires_approval": approval})
    meetings.publish_event(db, STAFF, event["_id"])
    return event


def _create(body):
    from services.events.schemas import EventCreate
    return EventCreate().load(body(local_group_id=None, kind="seminar"))


@pytest.fixture
def quick_stall(monkeypatch):
    """An event change gives a stalled draw 50 ms instead of a second before declaring it abandoned."""
    monkeypatch.setattr(repair, "STALL_SECONDS", 0.05)


@given(ops=OPS_WITH_DEATHS, approval=st.booleans())
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_after_the_repair_counters_match_whatever_processes_died_after_their_draw(events_rt, body, quick_stall,
                                                                                  ops, approval):
    db = events_rt.db
    event = _published_seminar(db, body, approval)
    for op, who, n in ops:
        pid = PEOPLE_IDS[who]
        mine = db[REGISTRATIONS].find_one({"event_id": event["_id"], "person_id": pid})
        try:
            if op == "register":
                registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), event["_id"], {})
            elif op == "killed":  # a process drew its place and died before writing anything
                seat_doc.draw(db, db.events.find_one({"_id": event["_id"]}))
            elif op == "repair":
                repair.repair_abandoned_draws(db, abandoned_after=0)
            elif op == "capacity":
                current = db.events.find_one({"_id": event["_id"]})
                meetings.update_event(db, STAFF, event["_id"], {"capacity": n}, current["version"])
            elif mine is not None:
                action = {"cancel": registrations.cancel_registration, "approve": registrations.approve,
                          "reject": registrations.reject}[op]
                action(db, STAFF, event["_id"], mine["_id"])
        except DomainError:
            pass  # refused by a rule: nothing changed
        seats = db[SEATS].find_one({"_id": event["_id"]})
        if tickets.unrecorded(db, event["_id"], seats.get("tickets", 0)):
            _check_before_repair(db, event["_id"])
        else:
            check_invariants(db, event["_id"])
    repair.repair_abandoned_draws(db, abandoned_after=0)
    check_invariants(db, event["_id"])
