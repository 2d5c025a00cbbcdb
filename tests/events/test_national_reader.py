"""A `national` token reads every federation's events and registrations, and changes none of them."""
from __future__ import annotations

import pytest

from shared.testing.national import NATIONAL_READERS, snapshot

from shared.testing import OutboxCapture

PROBLEM = "application/problem+json"
E = "/events/v1/events"

# Every route that writes, with a body valid for it.
WRITES = [
    ("POST", "{event}/registrations/{registration}/cancel", {"reason": "libérer la place"}),
    ("POST", "{event}/registrations/{registration}/approve", {}),
    ("POST", "{event}/registrations/{registration}/reject", {"reason": "non"}),
    ("POST", "{event}/registrations/{registration}/attendance", {"status": "attended"}),
    ("POST", "{event}/registrations", {}),
    ("PATCH", "{event}", {"title": "Titre national"}),
    ("POST", "", "new-event"),
    ("POST", "{event}/publish", {}),
    ("POST", "{event}/cancel", {"reason": "décision nationale"}),
    ("POST", "{event}/hold", {}),
    ("POST", "{event}/next", {"starts_at": "2031-06-12T09:30:00+02:00", "ends_at": "2031-06-12T12:30:00+02:00"}),
    ("POST", "{event}/replay-views", {"views": 3}),
]
NATIONALS = NATIONAL_READERS


def _state(db) -> dict:
    return snapshot(db, ("events", "seats", "registrations"))


@pytest.fixture
def scene(published, person, client):
    event = published(capacity=1)
    owner_id = person("p-owner")
    owner = client.as_user("apmsl", ["member"], sub=owner_id)
    registration = owner.post(f"{E}/{event['id']}/registrations", json={}).json
    client.as_user("apmsl", ["member"], sub=person("p-waiting")).post(f"{E}/{event['id']}/registrations", json={})
    return {"event": event["id"], "registration": registration["id"], "owner_id": owner_id}


@pytest.mark.parametrize("who", NATIONALS)
def test_national_reader_cannot_cancel_a_registration(client, scene, events_rt, who):
    federation, roles = NATIONALS[who]
    # Even with the registrant's own id as `sub`, a national token is not the registrant.
    national = client.as_user(federation, roles, sub=scene["owner_id"])
    before, outbox = _state(events_rt.db), OutboxCapture(events_rt)
    r = national.post(f"{E}/{scene['event']}/registrations/{scene['registration']}/cancel", json={})
    assert r.status_code == 403 and r.mimetype == PROBLEM, r.json
    assert _state(events_rt.db) == before and outbox.events == []  # no seat freed, nobody e-mailed


@pytest.mark.parametrize("who", NATIONALS)
def test_national_reader_changes_nothing_on_any_write_route(client, scene, events_rt, body, who):
    federation, roles = NATIONALS[who]
    national = client.as_user(federation, roles, sub="national-reader")
    before, outbox = _state(events_rt.db), OutboxCapture(events_rt)
    for method, path, payload in WRITES:
        payload = body(federation="apmsl") if payload == "new-event" else payload
        r = national.client.open(f"{E}/{path.format(**scene)}".rstrip("/"), method=method, json=payload,
                                 headers=national.headers)
        assert r.status_code in (403, 404) and r.mimetype == PROBLEM, (method, path, r.status_code, r.json)
    assert _state(events_rt.db) == before and outbox.events == []


def test_national_reader_still_reads_registrations(client, scene):
    national = client.as_user(None, ["national"], sub="national-reader")
    assert national.get(f"{E}/{scene['event']}/registrations").json["total"] == 2
    r = national.get(f"{E}/{scene['event']}/registrations/{scene['registration']}")
    assert r.status_code == 200 and r.json["status"] == "registered"


def test_the_registrant_and_staff_still_cancel(client, scene, staff, person):
    owner = client.as_user("apmsl", ["member"], sub=scene["owner_id"])
    r = owner.post(f"{E}/{scene['event']}/registrations/{scene['registration']}/cancel", json={})
    assert r.status_code == 200 and r.json["status"] == "cancelled"
    waiting = staff.get(f"{E}/{scene['event']}/registrations?status=registered").json["items"]
    assert [w["person_id"] for w in waiting] == ["p-waiting"]  # promoted into the freed seat
    r = staff.post(f"{E}/{scene['event']}/registrations/{waiting[0]['id']}/cancel", json={})
    assert r.status_code == 200
