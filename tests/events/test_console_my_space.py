"""A member's own space in the web console: my events upcoming and past with my registration and waiting-list
rank, "je ne pourrai pas venir", and the export of what the events service keeps of me."""
from __future__ import annotations

import datetime as dt

from services.events.worker import registry_projection
from shared.testing import make_event, run_handler

E = "/events/v1/events"
MINE = "/events/v1/me/events"


def _member(client, person, pid="p-1"):
    return client.as_user("apmsl", ["member"], sub=person(pid))


def test_my_events_upcoming_and_past_with_my_status_and_waiting_list_rank(client, published, person, clock):
    march = published(title="Mars", starts_at="2031-03-12T09:30:00+01:00", ends_at="2031-03-12T12:30:00+01:00")
    full = published(title="Juin", capacity=1, video_link="https://visio.example/juin", format="hybrid",
                     starts_at="2031-06-12T09:30:00+02:00", ends_at="2031-06-12T12:30:00+02:00")
    other, me = _member(client, person, "p-other"), _member(client, person)
    assert other.post(f"{E}/{full['id']}/registrations", json={}).status_code == 201
    for event in (march, full):
        assert me.post(f"{E}/{event['id']}/registrations", json={}).status_code == 201
    clock.set(dt.datetime(2031, 4, 1, tzinfo=dt.timezone.utc))
    upcoming = me.get(f"{MINE}?when=upcoming")
    assert upcoming.status_code == 200, upcoming.json
    [juin] = upcoming.json["items"]
    assert juin["event"]["title"] == "Juin" and juin["registration"]["status"] == "waitlisted"
    assert juin["registration"]["waitlist_position"] == 1 and juin["may_cancel"] is True
    assert juin["event"]["video_link"] is None and juin["event"]["venue"] == {
        "city": "Clisson", "postal_code": "44190", "department": "44"}  # no seat yet: the town only
    assert juin["event"]["ical_url"].endswith(f"/events/v1/agenda/{full['id']}.ics")
    [mars] = me.get(f"{MINE}?when=past").json["items"]
    assert mars["event"]["title"] == "Mars" and mars["registration"]["status"] == "registered"
    assert mars["event"]["venue"]["address"] == "1 rue de la Gare"  # a registrant with a seat sees the place
    assert [i["event"]["title"] for i in me.get(MINE).json["items"]] == ["Mars", "Juin"]
    assert me.get(f"{MINE}?event_id={full['id']}").json["total"] == 1
    assert other.get(f"{MINE}?event_id={march['id']}").json["items"] == []
    assert other.get(f"{MINE}?when=upcoming").json["items"][0]["event"]["video_link"] == "https://visio.example/juin"
    r = me.get(f"{MINE}?when=later")
    assert r.status_code == 422 and "when" in r.json["errors"]


def test_declining_cancels_my_registration_frees_my_seat_and_tells_the_organizers(client, published, person, staff):
    event = published(capacity=1)
    me, waiting = _member(client, person), _member(client, person, "p-2")
    me.post(f"{E}/{event['id']}/registrations", json={})
    waiting.post(f"{E}/{event['id']}/registrations", json={})
    r = me.post(f"{E}/{event['id']}/decline", json={})
    assert r.status_code == 200, r.json
    assert r.json["person_id"] == "p-1" and r.json["cancelled_registration_id"]
    [mine] = me.get(MINE).json["items"]
    assert mine["registration"]["status"] == "cancelled" and mine["declined_at"]
    assert waiting.get(MINE).json["items"][0]["registration"]["status"] == "registered"  # promoted
    again = me.post(f"{E}/{event['id']}/decline", json={})
    assert again.status_code == 200 and again.json["cancelled_registration_id"] is None
    declines = staff.get(f"{E}/{event['id']}/declines").json
    assert declines["total"] == 1 and declines["items"][0]["last_name"] == "Guérin"
    assert me.get(f"{E}/{event['id']}/declines").status_code == 403


def test_an_invited_person_declines_without_having_registered(client, published, person):
    event = published()
    me = _member(client, person)
    assert me.post(f"{E}/{event['id']}/decline", json={}).json["cancelled_registration_id"] is None
    [item] = me.get(MINE).json["items"]
    assert item["registration"] is None and item["declined_at"] and item["may_cancel"] is False


def test_a_past_event_cannot_be_declined_nor_can_a_national_reader_decline(client, published, person, clock):
    event = published()
    national = client.as_user(None, ["national"], sub="nat")
    r = national.post(f"{E}/{event['id']}/decline", json={})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    clock.set(dt.datetime(2031, 4, 1, tzinfo=dt.timezone.utc))
    r = _member(client, person).post(f"{E}/{event['id']}/decline", json={})
    assert r.status_code == 409 and "status" in r.json["errors"]
    assert client.anonymous().post(f"{E}/{event['id']}/decline", json={}).status_code == 401
    other_federation = client.as_user("femage", ["member"], sub="p-fem")
    assert other_federation.post(f"{E}/{event['id']}/decline", json={}).status_code == 404


def test_my_export_has_my_registrations_and_declines_and_an_erasure_purges_the_declines(
        client, published, person, events_rt):
    first, second = published(title="Premier"), published(title="Second")
    me = _member(client, person)
    me.post(f"{E}/{first['id']}/registrations", json={})
    me.post(f"{E}/{second['id']}/decline", json={})
    export = me.get("/events/v1/me/export")
    assert export.status_code == 200, export.json
    assert [r["event_title"] for r in export.json["registrations"]] == ["Premier"]
    assert export.json["registrations"][0]["created_at"].startswith("20")  # ISO 8601
    assert [d["event_id"] for d in export.json["declines"]] == [second["id"]]
    run_handler(events_rt, registry_projection(), make_event(
        "registry.person.erased.v1", {"id": "p-1", "federation": "apmsl"}, subject="p-1", sequence=9))
    assert events_rt.db["declines"].count_documents({"person_id": "p-1"}) == 0
