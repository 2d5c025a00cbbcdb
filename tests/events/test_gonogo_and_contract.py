"""Go / no-go warnings, and the contract of every event the service publishes."""
from __future__ import annotations

import datetime as dt

from services.events import meetings
from services.events.events import catalog
from shared.bus.relay import OutboxRelay
from shared.testing import OutboxCapture
from shared.testing.contract import assert_matches_asyncapi

E = "/events/v1/events"
UTC = dt.timezone.utc


def test_organizers_are_warned_once_when_the_minimum_is_not_reached_by_its_date(published, person, client, clock,
                                                                               events_rt):
    event = published(min_participants=3, minimum_deadline="2031-03-01T00:00:00+01:00", organizer_ids=["p-org"])
    client.as_user("apmsl", ["member"], sub=person("p-1")).post(f"{E}/{event['id']}/registrations", json={})
    outbox = OutboxCapture(events_rt)
    clock.set(dt.datetime(2031, 2, 27, tzinfo=UTC))
    assert meetings.check_minimums(events_rt.db) == 0
    clock.set(dt.datetime(2031, 3, 1, 9, tzinfo=UTC))
    assert meetings.check_minimums(events_rt.db) == 1
    assert meetings.check_minimums(events_rt.db) == 0  # once
    [warning] = outbox.of("events.event.minimum_not_reached.v1")
    assert warning["data"]["taken"] == 1 and warning["data"]["min_participants"] == 3
    assert set(warning["data"]["organizer_ids"]) == {"p-org", "staff-apmsl"}


def test_no_warning_when_the_minimum_is_reached(published, person, client, clock, events_rt):
    event = published(min_participants=2)
    for pid in ("p-1", "p-2"):
        client.as_user("apmsl", ["member"], sub=person(pid)).post(f"{E}/{event['id']}/registrations", json={})
    clock.set(dt.datetime(2031, 3, 12, 8, 30, tzinfo=UTC))
    assert meetings.check_minimums(events_rt.db) == 0


def test_the_go_no_go_job_is_scheduled_by_the_worker():
    from services.events.worker import JOBS
    assert [job.name for job in JOBS] == ["minimum-participants", "abandoned-draws"]


def test_every_event_type_the_service_publishes_matches_the_asyncapi_contract(
        staff, client, published, person, clock, events_rt, capture, settings):
    cap = capture("events.#")
    outbox = OutboxCapture(events_rt)
    event = published(capacity=1, min_participants=1, minimum_deadline="2031-03-01T00:00:00+01:00")
    clock.set(dt.datetime(2031, 3, 1, 9, tzinfo=UTC))
    meetings.check_minimums(events_rt.db)
    members = {pid: client.as_user("apmsl", ["member"], sub=person(pid)) for pid in ("p-1", "p-2")}
    regs = {pid: m.post(f"{E}/{event['id']}/registrations", json={}).json for pid, m in members.items()}
    members["p-1"].post(f"{E}/{event['id']}/registrations/{regs['p-1']['id']}/cancel", json={})
    staff.patch(f"{E}/{event['id']}", json={"theme": "Autre thème"})
    staff.patch(f"{E}/{event['id']}", json={"starts_at": "2031-03-12T10:00:00+01:00"})
    guest = staff.post(f"{E}/{event['id']}/registrations",
                       json={"guest": {"first_name": "Léa", "last_name": "Durand", "email": "lea@example.org"}}).json
    clock.set(dt.datetime(2031, 3, 12, 9, 30, tzinfo=UTC))
    staff.post(f"{E}/{event['id']}/registrations/{regs['p-2']['id']}/attendance", json={"status": "attended"})
    staff.post(f"{E}/{event['id']}/invitations", json={"structure_kinds": ["CPTS"]})
    staff.post(f"{E}/{event['id']}/hold", json={})
    clock.set(None)
    approval = published(requires_approval=True)
    a = members["p-1"].post(f"{E}/{approval['id']}/registrations", json={}).json
    b = members["p-2"].post(f"{E}/{approval['id']}/registrations", json={}).json
    staff.post(f"{E}/{approval['id']}/registrations/{a['id']}/approve", json={})
    staff.post(f"{E}/{approval['id']}/registrations/{b['id']}/reject", json={})
    staff.post(f"{E}/{approval['id']}/cancel", json={"reason": "salle indisponible"})
    assert guest["status"] == "waitlisted"
    staff.post("/events/v1/guests/erase", json={"email": "lea@example.org"})

    published_types = set(outbox.types)
    assert published_types == set(catalog.types), set(catalog.types) ^ published_types
    for envelope in outbox.events:
        assert_matches_asyncapi(envelope)
    # And what reaches the broker is what the outbox held.
    OutboxRelay(events_rt.db, "events", settings).publish_pending()
    received = cap.wait_count("events.registration.confirmed.v1", 1)
    assert_matches_asyncapi(received[0])
    cap.wait_for("events.event.cancelled.v1", lambda e: e["data"]["cancel_reason"] == "salle indisponible")
