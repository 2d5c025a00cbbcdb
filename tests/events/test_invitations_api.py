"""Inviting more people to a published event (`POST /v1/events/<id>/invitations`): the event keeps each
invitation and announces it (`events.event.invited.v1`); notifications mails only those not invited yet."""
from __future__ import annotations

from shared.testing import OutboxCapture

E = "/events/v1/events"
CPTS = {"structure_kinds": ["CPTS"], "roles": ["coordinator"]}


def test_staff_invite_more_people_to_a_published_event(staff, published, events_rt):
    event = published()
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{E}/{event['id']}/invitations", json=CPTS, headers={"If-Match": f'"{event["id"]}-2"'})
    assert r.status_code == 200, r.json
    assert r.json["version"] == 3 and r.headers["ETag"] == f'"{event["id"]}-3"'
    assert r.json["audience"] == event["audience"]  # the published audience is kept as it was
    [invitation] = r.json["invitations"]
    assert invitation["audience"] == {"local_group_ids": [], "structure_kinds": ["CPTS"], "roles": ["coordinator"]}
    assert invitation["by"] == "staff-apmsl" and invitation["at"]
    assert outbox.types == ["events.event.invited.v1"]
    announced = outbox.events[0]
    assert announced["sequence"] == 3 and announced["data"]["invited"] == invitation["audience"]


def test_an_invitation_names_someone_and_goes_to_a_published_event_only(staff, body, published):
    event = published()
    r = staff.post(f"{E}/{event['id']}/invitations", json={})
    assert r.status_code == 422 and "local_group_ids" in r.json["errors"]
    r = staff.post(f"{E}/{event['id']}/invitations", json={"structure_kinds": ["castle"]})
    assert r.status_code == 422 and "structure_kinds" in r.json["errors"]
    r = staff.post(f"{E}/{event['id']}/invitations", json={"local_group_ids": ["no-such-group"]})
    assert r.status_code == 422, r.json

    draft = staff.post(E, json=body()).json
    r = staff.post(f"{E}/{draft['id']}/invitations", json=CPTS)
    assert r.status_code == 409 and "status" in r.json["errors"]

    r = staff.post(f"{E}/{event['id']}/invitations", json=CPTS, headers={"If-Match": f'"{event["id"]}-1"'})
    assert r.status_code == 412


def test_only_the_federation_staff_invite(client, published):
    event = published()
    coordinator = client.as_user("apmsl", ["coordinator"])
    assert coordinator.post(f"{E}/{event['id']}/invitations", json=CPTS).status_code == 403
    other = client.as_user("femage", ["staff"])
    assert other.post(f"{E}/{event['id']}/invitations", json=CPTS).status_code in (403, 404)
