"""Registrations over HTTP: self, person or guest; waiting list; approval; cancellation; check-in."""
from __future__ import annotations

import datetime as dt

import pytest

from shared.testing import OutboxCapture

PROBLEM = "application/problem+json"
E = "/events/v1/events"
UTC = dt.timezone.utc


def _regs(event):
    return f"{E}/{event['id']}/registrations"


def test_a_member_registers_themself_and_gets_their_name_from_the_projection(published, person, client,
                                                                             events_rt):
    event = published()
    pid = person("p-1", first_name="Camille", last_name="Guérin")
    outbox = OutboxCapture(events_rt)
    member = client.as_user("apmsl", ["member"], sub=pid)
    r = member.post(_regs(event), json={"note": "Je viendrai en train"})
    assert r.status_code == 201, r.json
    assert r.headers["Location"].endswith(r.json["id"])
    reg = r.json
    assert (reg["person_id"], reg["first_name"], reg["last_name"], reg["status"]) == ("p-1", "Camille", "Guérin",
                                                                                      "registered")
    confirmed = outbox.of("events.registration.confirmed.v1")[0]
    data = confirmed["data"]
    assert data["email"] == "p-1@demo.maillage.invalid" and data["may_email"] is True
    assert data["event"]["title"] == event["title"] and data["event"]["timezone"] == "Europe/Paris"
    assert data["event"]["venue"]["city"] == "Clisson" and data["event"]["starts_at"] == "2031-03-12T08:30:00+00:00"
    assert confirmed["subject"] == reg["id"] and confirmed["sequence"] == 1
    assert member.get(f"{_regs(event)}/{reg['id']}").json["status"] == "registered"
    mine = member.get("/events/v1/me/registrations").json["items"][0]
    assert mine["id"] == reg["id"] and mine["event"]["title"] == event["title"]
    assert mine["event"].get("video_link") is None and mine["event"]["venue"]["city"] == "Clisson"
    assert member.get("/events/v1/me/registrations?status=cancelled").json["total"] == 0


def test_registering_twice_is_a_conflict(published, person, client):
    event = published()
    member = client.as_user("apmsl", ["member"], sub=person("p-1"))
    assert member.post(_regs(event), json={}).status_code == 201
    r = member.post(_regs(event), json={})
    assert r.status_code == 409 and r.mimetype == PROBLEM and "person_id" in r.json["errors"]


def test_someone_unknown_to_the_registry_cannot_register_themself(published, client):
    event = published()
    r = client.as_user("apmsl", ["member"], sub="stranger").post(_regs(event), json={})
    assert r.status_code == 403 and r.mimetype == PROBLEM


def test_an_erased_person_cannot_register(published, person, client, events_rt):
    from services.events.worker import registry_projection
    from shared.testing import make_event, run_handler

    event = published()
    pid = person("p-1")
    run_handler(events_rt, registry_projection(),
                make_event("registry.person.erased.v1", {"id": pid, "federation": "apmsl"}, subject=pid, sequence=2))
    assert client.as_user("apmsl", ["member"], sub=pid).post(_regs(event), json={}).status_code == 403


def test_staff_register_a_person_or_an_outside_guest(published, person, staff, client):
    event = published()
    pid = person("p-9", last_name="Martin")
    r = staff.post(_regs(event), json={"person_id": pid})
    assert r.status_code == 201 and r.json["last_name"] == "Martin"
    r = staff.post(_regs(event), json={"guest": {"first_name": "Léa", "last_name": "Durand",
                                                  "email": "lea.durand@cpam.example.org", "organization": "CPAM 44"}})
    assert r.status_code == 201 and r.json["guest"] is True and r.json["person_id"] is None
    again = staff.post(_regs(event), json={"guest": {"first_name": "Léa", "last_name": "Durand",
                                                      "email": "LEA.DURAND@cpam.example.org"}})
    assert again.status_code == 409
    unknown = staff.post(_regs(event), json={"person_id": "nobody"})
    assert unknown.status_code == 422 and "pas encore connu" in unknown.json["errors"]["person_id"][0]
    member = client.as_user("apmsl", ["member"], sub=pid)
    r = member.post(_regs(event), json={"guest": {"first_name": "A", "last_name": "B", "email": "a@b.fr"}})
    assert r.status_code == 403


@pytest.mark.parametrize("payload,field", [
    ({"guest": {"first_name": "Léa", "last_name": "Durand", "email": "pas-un-email"}}, "guest"),
    ({"guest": {"first_name": "Léa"}}, "guest"),
    ({"person_id": "x" * 500}, "person_id"),
    ({"person_id": {"$ne": None}}, "person_id"),
    ({"person_id": "p-1", "guest": {"first_name": "L", "last_name": "D", "email": "l@d.fr"}}, "guest"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
])
def test_invalid_registrations_name_the_field(published, staff, payload, field, events_rt):
    event = published()
    r = staff.post(_regs(event), json=payload)
    assert r.status_code == 422 and r.mimetype == PROBLEM and field in r.json["errors"], r.json
    assert events_rt.db.registrations.count_documents({}) == 0


def test_no_registration_on_a_draft_or_after_the_deadline(staff, body, published, person, client, clock):
    draft = staff.post(E, json=body()).json
    member = client.as_user("apmsl", ["member"], sub=person("p-1"))
    assert member.post(_regs(draft), json={}).status_code == 404  # members don't see drafts
    r = staff.post(_regs(draft), json={"person_id": "p-1"})
    assert r.status_code == 409 and "status" in r.json["errors"]
    event = published(registration_deadline="2031-03-05T23:59:00+01:00")
    clock.set(dt.datetime(2031, 3, 6, tzinfo=UTC))
    r = member.post(_regs(event), json={})
    assert r.status_code == 409 and "registration_deadline" in r.json["errors"]


def test_waitlisted_registrant_is_promoted_when_a_seat_frees(published, person, client, events_rt):
    event = published(capacity=1)
    members = {pid: client.as_user("apmsl", ["member"], sub=person(pid)) for pid in ("p-1", "p-2", "p-3")}
    regs = {pid: m.post(_regs(event), json={}).json for pid, m in members.items()}
    assert [regs[p]["status"] for p in ("p-1", "p-2", "p-3")] == ["registered", "waitlisted", "waitlisted"]
    assert (regs["p-2"]["waitlist_position"], regs["p-3"]["waitlist_position"]) == (1, 2)
    outbox = OutboxCapture(events_rt)
    r = members["p-1"].post(f"{_regs(event)}/{regs['p-1']['id']}/cancel", json={"reason": "empêchée"})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert outbox.types == ["events.registration.cancelled.v1", "events.registration.promoted.v1"]
    promoted = outbox.of("events.registration.promoted.v1")[0]["data"]
    assert (promoted["person_id"], promoted["status"], promoted["previous_status"]) == ("p-2", "registered",
                                                                                         "waitlisted")
    assert members["p-2"].get(f"{_regs(event)}/{regs['p-2']['id']}").json["status"] == "registered"
    # A waitlisted person leaving frees no seat: nobody is promoted.
    members["p-3"].post(f"{_regs(event)}/{regs['p-3']['id']}/cancel", json={})
    assert len(outbox.of("events.registration.promoted.v1")) == 1
    # Registering again after cancelling reuses the registration and goes to the end of the list.
    r = members["p-1"].post(_regs(event), json={})
    assert r.status_code == 201 and r.json["id"] == regs["p-1"]["id"] and r.json["status"] == "waitlisted"
    assert r.json["waitlist_position"] == 3


def test_self_cancellation_closes_at_its_deadline_but_staff_can_still_cancel(published, person, client, staff,
                                                                            clock):
    event = published(cancellation_deadline="2031-03-10T12:00:00+01:00")
    member = client.as_user("apmsl", ["member"], sub=person("p-1"))
    reg = member.post(_regs(event), json={}).json
    clock.set(dt.datetime(2031, 3, 11, tzinfo=UTC))
    r = member.post(f"{_regs(event)}/{reg['id']}/cancel", json={})
    assert r.status_code == 409 and "cancellation_deadline" in r.json["errors"]
    assert staff.post(f"{_regs(event)}/{reg['id']}/cancel", json={}).json["status"] == "cancelled"


def test_a_member_cannot_see_or_cancel_someone_elses_registration(published, person, client):
    event = published()
    alice = client.as_user("apmsl", ["member"], sub=person("p-1"))
    bob = client.as_user("apmsl", ["member"], sub=person("p-2"))
    reg = alice.post(_regs(event), json={}).json
    assert bob.get(f"{_regs(event)}/{reg['id']}").status_code == 404
    assert bob.post(f"{_regs(event)}/{reg['id']}/cancel", json={}).status_code == 404
    assert bob.get(_regs(event)).status_code == 403
    assert bob.post(f"{_regs(event)}/{reg['id']}/attendance", json={"status": "attended"}).status_code == 403


def test_approval_workflow(published, person, client, staff, events_rt):
    event = published(capacity=1, requires_approval=True)
    members = {pid: client.as_user("apmsl", ["member"], sub=person(pid)) for pid in ("p-1", "p-2", "p-3")}
    outbox = OutboxCapture(events_rt)
    regs = {pid: m.post(_regs(event), json={}).json for pid, m in members.items()}
    assert {r["status"] for r in regs.values()} == {"awaiting_approval"}
    assert outbox.types == ["events.registration.awaiting_approval.v1"] * 3
    r = staff.post(f"{_regs(event)}/{regs['p-1']['id']}/approve", json={})
    assert r.status_code == 200 and r.json["status"] == "registered"
    r = staff.post(f"{_regs(event)}/{regs['p-2']['id']}/approve", json={})
    assert r.json["status"] == "waitlisted"  # approved, but the seat is taken
    r = staff.post(f"{_regs(event)}/{regs['p-3']['id']}/reject", json={"reason": "réservé aux coordinateurs"})
    assert r.json["status"] == "rejected"
    assert outbox.types[3:] == ["events.registration.approved.v1", "events.registration.approved.v1",
                                "events.registration.rejected.v1"]
    assert outbox.events[-1]["data"]["reason"] == "réservé aux coordinateurs"
    assert staff.post(f"{_regs(event)}/{regs['p-3']['id']}/approve", json={}).status_code == 409
    assert members["p-3"].post(_regs(event), json={}).status_code == 409  # rejected stays rejected
    assert members["p-1"].post(f"{_regs(event)}/{regs['p-2']['id']}/approve", json={}).status_code == 403
    seats = staff.get(f"{E}/{event['id']}").json["seats"]
    assert (seats["taken"], seats["waitlisted"], seats["awaiting"]) == (1, 1, 0)


def test_check_in_records_attendance_on_the_day(published, person, client, staff, clock, events_rt):
    event = published()
    member = client.as_user("apmsl", ["member"], sub=person("p-1"))
    reg = member.post(_regs(event), json={}).json
    url = f"{_regs(event)}/{reg['id']}/attendance"
    r = staff.post(url, json={"status": "attended"})
    assert r.status_code == 409  # weeks before the event
    clock.set(dt.datetime(2031, 3, 12, 8, 45, tzinfo=UTC))
    outbox = OutboxCapture(events_rt)
    r = staff.post(url, json={"status": "attended"})
    assert r.status_code == 200 and r.json["status"] == "attended"
    assert outbox.types == ["events.attendance.recorded.v1"]
    assert staff.post(url, json={"status": "late"}).status_code == 422
    assert staff.post(url, json={"status": "absent"}).json["status"] == "absent"
    staff.post(f"{E}/{event['id']}/hold", json={})
    held = outbox.of("events.event.held.v1")
    assert held and (held[0]["data"]["registered"], held[0]["data"]["absent"]) == (1, 1)
    # Attendance can still be corrected once the event is held; cancelling no longer can.
    assert staff.post(url, json={"status": "attended"}).json["status"] == "attended"
    assert staff.post(f"{_regs(event)}/{reg['id']}/cancel", json={}).status_code == 409


def test_registrations_list_is_filtered_and_paginated(published, person, staff, client):
    event = published(capacity=2)
    for pid in ("p-1", "p-2", "p-3"):
        client.as_user("apmsl", ["member"], sub=person(pid)).post(_regs(event), json={})
    assert staff.get(f"{_regs(event)}?status=waitlisted").json["total"] == 1
    page = staff.get(f"{_regs(event)}?per_page=2").json
    assert page["total"] == 3 and len(page["items"]) == 2
    assert staff.get(f"{_regs(event)}?status=maybe").status_code == 422
    national = client.as_user(None, ["national"])
    assert national.get(_regs(event)).json["total"] == 3


def test_unknown_registrations_are_404(published, staff):
    event = published()
    assert staff.get(f"{_regs(event)}/nope").status_code == 404
    assert staff.post(f"{_regs(event)}/nope/cancel", json={}).status_code == 404
