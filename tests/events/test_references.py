"""Every id in an event body names something of the organizing federation that this service knows
(its copy of the registry); otherwise 422 naming the field, "not known yet, retry later"."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from services.events.worker import registry_projection
from shared.testing import make_event, run_handler

PROBLEM = "application/problem+json"
E = "/events/v1/events"


def _project(events_rt, type_, data):
    run_handler(events_rt, registry_projection(),
                make_event(type_, data, subject=data["id"], sequence=1, federation=data["federation"]))


@pytest.fixture
def elsewhere(events_rt, person):
    """Objects of FEMAGE and FEMASAURA that the events service knows (they exist, elsewhere)."""
    _project(events_rt, "registry.local_group.created.v1", {
        "id": "femage-52", "federation": "femage", "name": "Groupe Haute-Marne", "department": "52",
        "structure_ids": [], "contact_person_ids": []})
    _project(events_rt, "registry.structure.registered.v1", {
        "id": "femasaura-msp-lyon", "federation": "femasaura", "kind": "MSP", "name": "MSP Lyon 8",
        "city": "Lyon", "department": "69", "status": "aci", "local_group_id": None, "archived": False})
    return {"group": "femage-52", "structure": "femasaura-msp-lyon", "person": person("p-femasaura", "femasaura")}


def _refusal(r, field):
    assert r.status_code == 422 and r.mimetype == PROBLEM, (r.status_code, r.json)
    assert list(r.json["errors"]) == [field], r.json
    message = r.json["errors"][field][0]
    assert "pas encore connu" in message and "réessayez" in message, message
    return message


@pytest.mark.parametrize("overrides,field", [
    ({"local_group_id": "does-not-exist"}, "local_group_id"),
    ({"host_structure_id": "does-not-exist"}, "host_structure_id"),
    ({"organizer_ids": ["p-org", "does-not-exist"]}, "organizer_ids"),
    ({"audience": {"local_group_ids": ["does-not-exist"]}}, "audience.local_group_ids"),
    ({"kind": "facilitation", "local_group_id": None,
      "facilitation": {"type": "advice", "structure_ids": ["does-not-exist"]}}, "facilitation.structure_ids"),
    ({"kind": "facilitation", "local_group_id": None,
      "facilitation": {"type": "advice", "structure_ids": ["apmsl-msp-clisson"], "facilitator_ids": ["nobody"]}},
     "facilitation.facilitator_ids"),
    ({"kind": "facilitation", "local_group_id": None,
      "facilitation": {"type": "advice", "structure_ids": ["apmsl-msp-clisson"],
                       "territorial_coordinator_id": "nobody"}}, "facilitation.territorial_coordinator_id"),
])
def test_an_event_naming_an_unknown_object_is_refused_as_not_known_yet(staff, body, events_rt, overrides, field):
    r = staff.post(E, json=body(**overrides))
    assert "does-not-exist" in _refusal(r, field) or "nobody" in r.json["errors"][field][0]
    assert events_rt.db.events.count_documents({}) == 0


@pytest.mark.parametrize("overrides,field", [
    ({"local_group_id": "femage-52"}, "local_group_id"),
    ({"host_structure_id": "femasaura-msp-lyon"}, "host_structure_id"),
    ({"organizer_ids": ["p-femasaura"]}, "organizer_ids"),
    ({"audience": {"local_group_ids": ["femage-52"]}}, "audience.local_group_ids"),
])
def test_another_federations_object_is_refused_without_saying_it_exists(staff, body, elsewhere, overrides, field):
    theirs = _refusal(staff.post(E, json=body(**overrides)), field)
    unknown_id = "zz-unknown"
    unknown = {k: (unknown_id if isinstance(v, str) else [unknown_id] if isinstance(v, list)
                   else {"local_group_ids": [unknown_id]}) for k, v in overrides.items()}
    nobodys = _refusal(staff.post(E, json=body(**unknown)), field)
    # Same words for an id of another federation and an id nobody has: only the id differs.
    assert _strip_ids(theirs) == _strip_ids(nobodys)


def _strip_ids(message: str) -> str:
    return re.sub(r"`[^`]*`", "`…`", message)


def test_femages_feed_does_not_list_an_event_of_apmsl(published, staff, body, elsewhere, client):
    r = staff.post(E, json=body(local_group_id="femage-52"))
    assert r.status_code == 422
    feed = client.anonymous().get("/events/v1/agenda?local_group_id=femage-52").json
    assert feed["total"] == 0


def test_a_change_naming_another_federations_objects_is_refused(published, staff, elsewhere, events_rt):
    event = published()
    r = staff.patch(f"{E}/{event['id']}", json={"host_structure_id": "femasaura-msp-lyon"})
    _refusal(r, "host_structure_id")
    r = staff.patch(f"{E}/{event['id']}", json={"organizer_ids": ["p-femasaura"]})
    _refusal(r, "organizer_ids")
    assert events_rt.db.events.find_one({"_id": event["id"]})["version"] == event["version"]
    # What the event already holds is not checked again: changing the title still works.
    assert staff.patch(f"{E}/{event['id']}", json={"title": "Protocoles, suite"}).status_code == 200


def test_the_next_meeting_may_not_be_hosted_by_another_federations_structure(published, staff, elsewhere, clock):
    event = published()
    clock.set(dt.datetime(2031, 3, 12, 12, 0, tzinfo=dt.timezone.utc))
    assert staff.post(f"{E}/{event['id']}/hold", json={}).status_code == 200
    r = staff.post(f"{E}/{event['id']}/next", json={"starts_at": "2031-06-12T09:30:00+02:00",
                                                    "ends_at": "2031-06-12T12:30:00+02:00",
                                                    "host_structure_id": "femasaura-msp-lyon"})
    _refusal(r, "host_structure_id")


def test_an_unknown_series_is_refused(staff, body):
    r = staff.post(E, json=body(series_id="no-such-series"))
    assert r.status_code == 422 and list(r.json["errors"]) == ["series_id"]


def test_staff_cannot_register_another_federations_person(published, staff, elsewhere):
    event = published()
    r = staff.post(f"{E}/{event['id']}/registrations", json={"person_id": "p-femasaura"})
    theirs = _refusal(r, "person_id")
    nobodys = _refusal(staff.post(f"{E}/{event['id']}/registrations", json={"person_id": "p-nobody"}), "person_id")
    assert _strip_ids(theirs) == _strip_ids(nobodys)


def test_an_erased_person_is_no_longer_known(published, staff, person, events_rt):
    event = published()
    pid = person("p-gone")
    run_handler(events_rt, registry_projection(),
                make_event("registry.person.erased.v1", {"id": pid, "federation": "apmsl"}, subject=pid, sequence=2))
    _refusal(staff.post(f"{E}/{event['id']}/registrations", json={"person_id": pid}), "person_id")


def test_a_known_network_is_accepted(staff, body):
    r = staff.post(E, json=body(host_structure_id="apmsl-msp-clisson", organizer_ids=["p-org"],
                                audience={"local_group_ids": ["apmsl-44-est"], "structure_kinds": ["MSP"]}))
    assert r.status_code == 201, r.json


def test_the_openapi_document_says_such_ids_may_be_not_known_yet(client):
    schemas = client.get("/events/openapi.json").json["components"]["schemas"]
    create = schemas["EventCreate"]["properties"]
    for field in ("local_group_id", "host_structure_id", "organizer_ids"):
        assert "not known yet" in create[field]["description"], field
    assert "not known yet" in schemas["RegistrationCreate"]["properties"]["person_id"]["description"]
