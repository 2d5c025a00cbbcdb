"""Pure domain rules of events and registrations (no Flask, Mongo or RabbitMQ)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.events import rules

UTC = dt.timezone.utc
START = dt.datetime(2031, 3, 12, 8, 30, tzinfo=UTC)


def event(**overrides):
    base = {"kind": "seminar", "format": "in_person", "venue": {"city": "Nantes"}, "status": "published",
            "starts_at": START, "ends_at": START + dt.timedelta(hours=3), "capacity": 10}
    base.update(overrides)
    return base


def test_a_wall_clock_time_is_read_in_paris_and_stored_in_utc():
    assert rules.to_utc(dt.datetime(2031, 3, 12, 9, 30)) == START
    assert rules.to_utc(dt.datetime(2031, 7, 1, 9, 0)) == dt.datetime(2031, 7, 1, 7, 0, tzinfo=UTC)  # summer time
    assert rules.local(START).isoformat() == "2031-03-12T09:30:00+01:00"


def test_an_event_must_end_after_it_starts():
    with pytest.raises(rules.Invalid) as exc:
        rules.check_event(event(ends_at=START))
    assert exc.value.field == "ends_at"


@pytest.mark.parametrize("fmt,missing", [("in_person", "venue"), ("video", "video_link"), ("hybrid", "video_link")])
def test_the_format_needs_its_venue_or_link(fmt, missing):
    with pytest.raises(rules.Invalid) as exc:
        rules.check_format(event(format=fmt, video_link=None, venue=None if missing == "venue" else {"city": "Nantes"}))
    assert exc.value.field == missing


def test_a_facilitation_carries_its_type_and_structures():
    with pytest.raises(rules.Invalid):
        rules.check_kind_details(event(kind="facilitation", facilitation=None))
    rules.check_kind_details(event(kind="facilitation", facilitation={"type": "advice", "structure_ids": ["s1"]}))
    with pytest.raises(rules.Invalid):
        rules.check_kind_details(event(facilitation={"type": "advice", "structure_ids": ["s1"]}))


def test_the_minimum_cannot_exceed_the_capacity():
    with pytest.raises(rules.Invalid) as exc:
        rules.check_kind_details(event(min_participants=11))
    assert exc.value.field == "min_participants"


def test_deadlines_fit_the_schedule():
    with pytest.raises(rules.Invalid):
        rules.check_schedule(event(registration_deadline=START + dt.timedelta(days=1)))
    with pytest.raises(rules.Invalid):
        rules.check_schedule(event(minimum_deadline=START + dt.timedelta(minutes=1)))


@pytest.mark.parametrize("current,target,ok", [
    ("draft", "published", True), ("draft", "cancelled", True), ("published", "held", True),
    ("published", "cancelled", True), ("draft", "held", False), ("held", "cancelled", False),
    ("cancelled", "published", False), ("published", "draft", False),
])
def test_lifecycle_transitions(current, target, ok):
    if ok:
        rules.check_transition(current, target)
    else:
        with pytest.raises(rules.RuleBroken):
            rules.check_transition(current, target)


def test_an_event_is_held_only_once_started():
    with pytest.raises(rules.RuleBroken):
        rules.check_can_hold(event(), START - dt.timedelta(minutes=1))
    rules.check_can_hold(event(), START)


def test_registrations_open_on_published_events_until_the_deadline():
    assert rules.registration_refusal(event(), START - dt.timedelta(days=1)) is None
    assert rules.registration_refusal(event(status="draft"), START - dt.timedelta(days=1)).field == "status"
    assert rules.registration_refusal(event(), START + dt.timedelta(minutes=1)).field == "registration_deadline"
    early = event(registration_deadline=START - dt.timedelta(days=7))
    assert rules.registration_refusal(early, START - dt.timedelta(days=6)) is not None


def test_a_new_registration_gets_a_seat_then_the_waiting_list_or_waits_for_approval():
    assert rules.initial_status({"taken": 9}, 10, False) == rules.REGISTERED
    assert rules.initial_status({"taken": 10}, 10, False) == rules.WAITLISTED
    assert rules.initial_status({"taken": 10_000}, None, False) == rules.REGISTERED
    assert rules.initial_status({"taken": 0}, 10, True) == rules.AWAITING


def test_free_seats_are_filled_from_the_waiting_list():
    assert rules.seats_to_fill({"taken": 8, "waitlisted": 5}, 10) == 2
    assert rules.seats_to_fill({"taken": 8, "waitlisted": 1}, 10) == 1
    assert rules.seats_to_fill({"taken": 10, "waitlisted": 5}, 10) == 0
    assert rules.seats_to_fill({"taken": 10, "waitlisted": 5}, None) == 5


def test_seat_counters_follow_a_registration():
    assert rules.seat_delta(None, rules.REGISTERED) == {"taken": 1}
    assert rules.seat_delta(rules.WAITLISTED, rules.REGISTERED) == {"waitlisted": -1, "taken": 1}
    assert rules.seat_delta(rules.REGISTERED, rules.ATTENDED) == {"attended": 1}
    assert rules.seat_delta(rules.ATTENDED, rules.ABSENT) == {"attended": -1, "absent": 1}
    assert rules.seat_delta(rules.AWAITING, rules.REJECTED) == {"awaiting": -1}


@given(st.lists(st.sampled_from(rules.REGISTRATION_STATUSES), min_size=1, max_size=12))
def test_seat_counters_always_match_the_statuses(path):
    """Whatever path a registration takes, the counters equal a recount of its final status."""
    counters: dict = {}
    before = None
    for status in path:
        for k, v in rules.seat_delta(before, status).items():
            counters[k] = counters.get(k, 0) + v
        before = status
    expected = {k: v for k, v in rules.seat_delta(None, before).items()}
    assert {k: v for k, v in counters.items() if v} == expected


def test_self_cancellation_closes_at_its_deadline():
    ev = event(cancellation_deadline=START - dt.timedelta(days=2))
    assert rules.self_cancel_refusal(ev, START - dt.timedelta(days=3)) is None
    assert rules.self_cancel_refusal(ev, START - dt.timedelta(days=1)).field == "cancellation_deadline"


@pytest.mark.parametrize("current,target,ok", [
    ("registered", "cancelled", True), ("waitlisted", "cancelled", True), ("attended", "cancelled", False),
    ("awaiting_approval", "rejected", True), ("registered", "rejected", False),
    ("registered", "attended", True), ("waitlisted", "attended", False), ("attended", "absent", True),
    ("awaiting_approval", "approved", True), ("registered", "approved", False),
])
def test_registration_moves(current, target, ok):
    if ok:
        rules.check_registration_move(current, target)
    else:
        with pytest.raises(rules.RuleBroken):
            rules.check_registration_move(current, target)


def test_the_minimum_is_missed_when_its_date_has_come_without_enough_seats_taken():
    ev = event(min_participants=5, minimum_deadline=START - dt.timedelta(days=7))
    assert not rules.minimum_missed(ev, {"taken": 2}, START - dt.timedelta(days=8))
    assert rules.minimum_missed(ev, {"taken": 2}, START - dt.timedelta(days=7))
    assert not rules.minimum_missed(ev, {"taken": 5}, START - dt.timedelta(days=6))
    assert not rules.minimum_missed({**ev, "minimum_warned_at": START}, {"taken": 2}, START)
    assert not rules.minimum_missed({**ev, "status": "cancelled"}, {"taken": 2}, START)


def test_a_time_or_place_change_is_a_reschedule():
    old = event(video_link=None)
    assert rules.reschedule_changes(old, {**old, "title": "x"}) == []
    assert rules.reschedule_changes(old, {**old, "starts_at": START + dt.timedelta(hours=1)}) == ["starts_at"]
    assert rules.reschedule_changes(old, {**old, "venue": {"city": "Angers"}}) == ["venue"]


def test_the_next_meeting_is_scheduled_from_a_held_one():
    with pytest.raises(rules.RuleBroken):
        rules.next_meeting(event())
    template = rules.next_meeting(event(status="held", local_group_id="g1", federation="apmsl"))
    assert template["local_group_id"] == "g1" and "starts_at" not in template


def test_participation_rate():
    assert rules.participation_rate(8, 20) == 0.4
    assert rules.participation_rate(3, 0) is None
