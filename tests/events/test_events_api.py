"""Events over HTTP: lifecycle, validation, roles, federation isolation, reschedule, series."""
from __future__ import annotations

import datetime as dt

import pytest

from shared.testing import OutboxCapture

PROBLEM = "application/problem+json"
E = "/events/v1/events"


def test_an_event_is_created_as_a_draft_with_utc_times_and_paris_local_times(staff, body):
    r = staff.post(E, json=body(starts_at="2031-07-01T09:00:00", ends_at="2031-07-01T12:00:00"))
    assert r.status_code == 201, r.json
    assert r.headers["ETag"] and r.headers["Location"].endswith(r.json["id"])
    event = r.json
    assert event["status"] == "draft" and event["federation"] == "apmsl" and event["timezone"] == "Europe/Paris"
    assert event["starts_at"] == "2031-07-01T07:00:00+00:00"
    assert event["starts_at_local"] == "2031-07-01T09:00:00+02:00"
    assert event["seats"] == {"capacity": 20, "taken": 0, "available": 20, "waitlisted": 0, "awaiting": 0}
    assert event["series_id"] == event["id"]  # a local group's meetings form a series
    assert event["organizer_ids"] == ["staff-apmsl"]


@pytest.mark.parametrize("changes,field", [
    ({"kind": "party"}, "kind"),
    ({"title": ""}, "title"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"format": "carrier pigeon"}, "format"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"department": "99"}, "department"),
    ({"video_link": "not a url"}, "video_link"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"unknown": 1}, "unknown"),
    ({"venue": {"city": "x", "$where": "1"}}, "venue"),
    ({"facilitation": {"type": "magic", "structure_ids": ["s"]}}, "facilitation"),
    ({"title": "x" * 5000}, "title"),
])
def test_invalid_bodies_name_the_field_and_write_nothing(staff, body, events_rt, changes, field):
    r = staff.post(E, json=body(**changes))
    assert r.status_code == 422, r.json
    assert r.mimetype == PROBLEM and field in r.json["errors"]
    assert events_rt.db.events.count_documents({}) == 0


@pytest.mark.parametrize("changes,field", [
    ({"ends_at": "2031-03-12T08:00:00+01:00"}, "ends_at"),
    ({"format": "video", "video_link": None}, "video_link"),
    ({"format": "in_person", "venue": None}, "venue"),
    ({"kind": "facilitation"}, "facilitation"),
    ({"min_participants": 30}, "min_participants"),
    ({"registration_deadline": "2031-04-01T00:00:00+02:00"}, "registration_deadline"),
])
def test_inconsistent_events_are_refused_with_the_field(staff, body, changes, field):
    r = staff.post(E, json=body(**changes))
    assert r.status_code == 422, r.json
    assert r.mimetype == PROBLEM and field in r.json["errors"]


def test_malformed_json_is_a_400_problem(staff):
    r = staff.post(E, data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.mimetype == PROBLEM


def test_filters_are_strict(staff):
    r = staff.get(E + "?status[$ne]=draft")
    assert r.status_code == 422 and r.mimetype == PROBLEM
    r = staff.get(E + "?from=2031-05-01&to=2031-04-01")
    assert r.status_code == 422 and "to" in r.json["errors"]


def test_only_staff_create_and_manage_events(client, body, published):
    for roles in (["member"], ["coordinator"], ["national"]):
        fed = None if roles == ["national"] else "apmsl"
        r = client.as_user(fed, roles).post(E, json=body())
        assert r.status_code == 403 and r.mimetype == PROBLEM
    event = published()
    member = client.as_user("apmsl", ["member"])
    assert member.post(f"{E}/{event['id']}/cancel", json={"reason": "test"}).status_code == 403
    assert member.patch(f"{E}/{event['id']}", json={"title": "Autre"}).status_code == 403
    assert client.anonymous().get(E).status_code == 401


def test_staff_cannot_create_for_another_federation(staff, body):
    r = staff.post(E, json=body(federation="femage"))
    assert r.status_code == 403 and r.json["errors"] == {"federation": [r.json["detail"]]}


def test_another_federation_sees_nothing_and_changes_nothing(client, published):
    event = published()
    other = client.as_user("femage", ["admin"])
    assert other.get(f"{E}/{event['id']}").status_code == 404
    assert other.patch(f"{E}/{event['id']}", json={"title": "Pris"}).status_code == 404
    assert other.post(f"{E}/{event['id']}/cancel", json={"reason": "x" * 5}).status_code == 404
    assert other.post(f"{E}/{event['id']}/registrations", json={}).status_code == 404
    assert other.get(f"{E}/{event['id']}/registrations").status_code == 404
    assert other.get(E).json["total"] == 0
    national = client.as_user(None, ["national"])
    assert national.get(f"{E}/{event['id']}").status_code == 200
    assert national.get(E + "?federation=apmsl").json["total"] == 1
    assert national.post(f"{E}/{event['id']}/cancel", json={"reason": "national"}).status_code == 403


def test_members_do_not_see_drafts(staff, client, body):
    draft = staff.post(E, json=body()).json
    member = client.as_user("apmsl", ["member"])
    assert member.get(f"{E}/{draft['id']}").status_code == 404
    assert member.get(E).json["total"] == 0
    assert staff.get(E + "?status=draft").json["total"] == 1


def test_list_filters_and_pagination(staff, published, body):
    published(title="Séminaire 44", kind="seminar", local_group_id=None, department="44")
    published(title="Séminaire 49", kind="seminar", local_group_id=None, department="49",
              starts_at="2031-05-12T09:30:00+02:00", ends_at="2031-05-12T12:30:00+02:00")
    published(title="Groupe local")
    assert staff.get(E + "?kind=seminar").json["total"] == 2
    assert staff.get(E + "?department=49").json["items"][0]["title"] == "Séminaire 49"
    assert staff.get(E + "?local_group_id=apmsl-44-est").json["total"] == 1
    assert staff.get(E + "?from=2031-04-01").json["total"] == 1
    assert staff.get(E + "?to=2031-03-12").json["total"] == 2
    page = staff.get(E + "?per_page=2&page=2").json
    assert page["total"] == 3 and len(page["items"]) == 1


def test_publishing_emits_published_and_opens_registrations(staff, body, events_rt):
    event = staff.post(E, json=body()).json
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{E}/{event['id']}/publish", json={})
    assert r.status_code == 200 and r.json["status"] == "published"
    assert outbox.types == ["events.event.published.v1"]
    published = outbox.events[0]
    assert published["subject"] == event["id"] and published["sequence"] == 2
    assert published["data"]["venue"]["city"] == "Clisson"
    assert staff.post(f"{E}/{event['id']}/publish", json={}).status_code == 409


def test_a_stale_if_match_is_refused(staff, body):
    event = staff.post(E, json=body())
    etag = event.headers["ETag"]
    assert staff.patch(f"{E}/{event.json['id']}", json={"title": "Nouveau titre"},
                       headers={"If-Match": etag}).status_code == 200
    r = staff.patch(f"{E}/{event.json['id']}", json={"title": "Encore"}, headers={"If-Match": etag})
    assert r.status_code == 412 and r.mimetype == PROBLEM


def test_rescheduling_emits_one_rescheduled_event_and_keeps_registrations(staff, published, person, client,
                                                                         events_rt):
    event = published()
    for pid in ("p-1", "p-2"):
        person(pid)
        assert client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{event['id']}/registrations",
                                                                 json={}).status_code == 201
    outbox = OutboxCapture(events_rt)
    r = staff.patch(f"{E}/{event['id']}", json={"starts_at": "2031-03-19T09:30:00+01:00",
                                                  "ends_at": "2031-03-19T12:30:00+01:00",
                                                  "venue": {"name": "Salle des fêtes", "city": "Clisson"}})
    assert r.status_code == 200, r.json
    assert outbox.types == ["events.event.rescheduled.v1"]
    data = outbox.events[0]["data"]
    assert data["changed"] == ["starts_at", "ends_at", "venue"]
    assert data["previous"]["starts_at"] == "2031-03-12T08:30:00+00:00"
    assert data["starts_at"] == "2031-03-19T08:30:00+00:00"
    assert sorted(rc["person_id"] for rc in data["recipients"]) == ["p-1", "p-2"]
    assert data["recipients"][0]["email"] == "p-1@demo.maillage.invalid"
    regs = staff.get(f"{E}/{event['id']}/registrations").json
    assert regs["total"] == 2 and {i["status"] for i in regs["items"]} == {"registered"}


def test_other_changes_of_a_published_event_are_an_update(staff, published, events_rt):
    event = published()
    outbox = OutboxCapture(events_rt)
    assert staff.patch(f"{E}/{event['id']}", json={"theme": "Nouveau thème"}).status_code == 200
    assert outbox.types == ["events.event.updated.v1"]
    assert outbox.events[0]["data"]["changed"] == ["theme"]
    assert staff.patch(f"{E}/{event['id']}", json={"theme": "Nouveau thème"}).status_code == 200
    assert len(outbox.types) == 1  # no change, no event


def test_the_capacity_cannot_go_below_the_seats_taken(staff, published, person, client):
    event = published(capacity=2)
    for pid in ("p-1", "p-2"):
        person(pid)
        client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{event['id']}/registrations", json={})
    r = staff.patch(f"{E}/{event['id']}", json={"capacity": 1})
    assert r.status_code == 409 and "capacity" in r.json["errors"]


def test_raising_the_capacity_promotes_the_waiting_list(staff, published, person, client, events_rt):
    event = published(capacity=1)
    for pid in ("p-1", "p-2", "p-3"):
        person(pid)
        client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{event['id']}/registrations", json={})
    outbox = OutboxCapture(events_rt)
    r = staff.patch(f"{E}/{event['id']}", json={"capacity": 2})
    assert r.status_code == 200 and r.json["seats"]["taken"] == 2 and r.json["seats"]["waitlisted"] == 1
    assert outbox.types == ["events.event.updated.v1", "events.registration.promoted.v1"]
    assert outbox.events[1]["data"]["person_id"] == "p-2"


def test_cancelling_needs_a_reason_and_notifies_everyone_registered(staff, published, person, client, events_rt):
    event = published(capacity=1)
    for pid in ("p-1", "p-2"):
        person(pid)
        client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{event['id']}/registrations", json={})
    r = staff.post(f"{E}/{event['id']}/cancel", json={})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{E}/{event['id']}/cancel", json={"reason": "faute de participants"})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert r.json["cancel_reason"] == "faute de participants"
    assert outbox.types == ["events.event.cancelled.v1"]
    recipients = outbox.events[0]["data"]["recipients"]
    assert [(rc["person_id"], rc["status"]) for rc in recipients] == [("p-1", "registered"), ("p-2", "waitlisted")]
    assert staff.post(f"{E}/{event['id']}/cancel", json={"reason": "encore"}).status_code == 409
    assert staff.patch(f"{E}/{event['id']}", json={"title": "Plus tard"}).status_code == 409


def test_an_event_is_held_once_started_and_the_next_meeting_is_scheduled_from_it(staff, published, clock,
                                                                                 events_rt):
    event = published(host_structure_id="apmsl-msp-clisson")
    assert staff.post(f"{E}/{event['id']}/hold", json={}).status_code == 409  # not started yet
    assert staff.post(f"{E}/{event['id']}/next", json={"starts_at": "2031-06-12T09:30:00+02:00",
                                                      "ends_at": "2031-06-12T12:30:00+02:00"}).status_code == 409
    clock.set(dt.datetime(2031, 3, 12, 12, 0, tzinfo=dt.timezone.utc))
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{E}/{event['id']}/hold", json={})
    assert r.status_code == 200 and r.json["status"] == "held"
    assert outbox.types == ["events.event.held.v1"]
    r = staff.post(f"{E}/{event['id']}/next", json={"starts_at": "2031-06-12T09:30:00+02:00",
                                                   "ends_at": "2031-06-12T12:30:00+02:00",
                                                   "agenda_items": ["Suite des protocoles"], "publish": True})
    assert r.status_code == 201, r.json
    nxt = r.json
    assert nxt["status"] == "published" and nxt["series_id"] == event["series_id"]
    assert nxt["local_group_id"] == "apmsl-44-est" and nxt["host_structure_id"] == "apmsl-msp-clisson"
    assert nxt["previous_event_id"] == event["id"] and nxt["agenda_items"] == ["Suite des protocoles"]
    assert staff.get(f"{E}/{event['id']}").json["next_event_id"] == nxt["id"]
    assert outbox.types[-1] == "events.event.published.v1"
    assert staff.get(E + f"?series_id={event['series_id']}").json["total"] == 2
    again = staff.post(f"{E}/{event['id']}/next", json={"starts_at": "2031-09-12T09:30:00+02:00",
                                                       "ends_at": "2031-09-12T12:30:00+02:00"})
    assert again.status_code == 409


def test_replay_views_are_counted_for_webinars_only(staff, published):
    webinar = published(kind="webinar", format="video", venue=None, local_group_id=None,
                        video_link="https://visio.example.org/salariat-sisa", title="Webinaire — Salariat en SISA")
    assert staff.post(f"{E}/{webinar['id']}/replay-views", json={"views": 170}).json["replay_views"] == 170
    assert staff.post(f"{E}/{webinar['id']}/replay-views", json={"views": 29}).json["replay_views"] == 199
    assert staff.post(f"{E}/{webinar['id']}/replay-views", json={"views": -3}).status_code == 422
    meeting = published()
    r = staff.post(f"{E}/{meeting['id']}/replay-views", json={"views": 3})
    assert r.status_code == 409 and "kind" in r.json["errors"]


def test_a_facilitation_carries_its_type_structures_and_facilitators(staff, body):
    r = staff.post(E, json=body(kind="facilitation", title="Facilitation — MSP de Clisson", local_group_id=None,
                                facilitation={"type": "advice", "structure_ids": ["apmsl-msp-clisson"],
                                              "facilitator_ids": ["p-fac"], "territorial_coordinator_id": "p-tc"}))
    assert r.status_code == 201, r.json
    assert r.json["facilitation"]["type"] == "advice"


def test_unknown_events_are_404_problems(staff):
    r = staff.get(f"{E}/nope")
    assert r.status_code == 404 and r.mimetype == PROBLEM


def test_a_draft_nobody_saw_is_dropped_without_telling_anyone(staff, body, events_rt):
    draft = staff.post(E, json=body()).json
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{E}/{draft['id']}/cancel", json={"reason": "doublon"})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    assert outbox.types == []
