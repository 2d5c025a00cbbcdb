"""Helpers of the events tests: an organizer, people in the projection, a movable clock."""
from __future__ import annotations

import datetime as dt
import uuid
from contextlib import ExitStack

import pytest

from services.events.worker import registry_projection
from shared import clock as shared_clock
from shared.testing import make_event, run_handler

START = dt.datetime(2031, 3, 12, 8, 30, tzinfo=dt.timezone.utc)  # 09:30 in Paris


def event_body(**overrides) -> dict:
    body = {
        "kind": "local_group_meeting", "title": "Groupe local 44 est — protocoles",
        "theme": "Faire vivre les protocoles", "agenda_items": ["Tour de table", "Protocoles de coopération"],
        "starts_at": "2031-03-12T09:30:00+01:00", "ends_at": "2031-03-12T12:30:00+01:00",
        "format": "in_person", "venue": {"name": "MSP de Clisson", "address": "1 rue de la Gare",
                                         "postal_code": "44190", "city": "Clisson", "department": "44"},
        "department": "44", "local_group_id": "apmsl-44-est", "capacity": 20,
    }
    body.update(overrides)
    return body


class Clock:
    """`clock.set(when)`: the platform's clock (`shared.clock`) stands at `when`; `clock.set(None)`: it runs."""
    def __init__(self):
        self._frozen = ExitStack()

    def set(self, when: dt.datetime | None):
        self._frozen.close()
        if when is not None:
            self._frozen.enter_context(shared_clock.frozen_at(when))


@pytest.fixture
def clock():
    moved = Clock()
    yield moved
    moved.set(None)


@pytest.fixture
def events_rt(runtime):
    return runtime("events")


@pytest.fixture
def client(api):
    return api("events")


@pytest.fixture
def staff(client):
    return client.as_user("apmsl", ["admin"], sub="staff-apmsl")


def person_data(person_id: str, federation: str = "apmsl", **overrides) -> dict:
    data = {"id": person_id, "federation": federation, "first_name": "Camille", "last_name": "Guérin",
            "email": f"{person_id}@demo.maillage.invalid", "phone": None, "may_email": True, "demo": True,
            "roles": [{"structure_id": "apmsl-msp-clisson", "role": "coordinator", "start_on": "2020-01-01",
                       "end_on": None}], "version": 1}
    data.update(overrides)
    return data


# What the tests' bodies refer to, as the registry's events taught it to this service (an event body may
# only name local groups, structures and people the service knows in the organizing federation).
KNOWN_NETWORK = {
    "registry.local_group.created.v1": [{"id": "apmsl-44-est", "federation": "apmsl", "name": "Groupe local 44 est",
                                         "department": "44", "structure_ids": ["apmsl-msp-clisson"],
                                         "contact_person_ids": []}],
    "registry.structure.registered.v1": [{"id": "apmsl-msp-clisson", "federation": "apmsl", "kind": "MSP",
                                          "name": "MSP de Clisson", "city": "Clisson", "department": "44",
                                          "status": "labellisee", "local_group_id": "apmsl-44-est",
                                          "archived": False}],
    "registry.person.registered.v1": [person_data(pid, roles=[]) for pid in ("p-org", "p-fac", "p-tc")],
}


@pytest.fixture(autouse=True)
def known_network(request):
    """The small APMSL network above, in the events service's projection (only for tests that use it)."""
    if "events_rt" not in request.fixturenames and "client" not in request.fixturenames:
        return
    events_rt = request.getfixturevalue("events_rt")
    for type_, items in KNOWN_NETWORK.items():
        for data in items:
            run_handler(events_rt, registry_projection(),
                        make_event(type_, data, subject=data["id"], sequence=1, federation=data["federation"]))


@pytest.fixture
def person(events_rt):
    """`person("p-1")`: a registry person known to the projection (returns its id)."""
    def make(person_id: str | None = None, federation: str = "apmsl", sequence: int = 1, **overrides) -> str:
        person_id = person_id or f"p-{uuid.uuid4().hex[:8]}"
        envelope = make_event("registry.person.registered.v1", person_data(person_id, federation, **overrides),
                              subject=person_id, sequence=sequence, federation=federation)
        run_handler(events_rt, registry_projection(), envelope)
        return person_id
    return make


@pytest.fixture
def published(staff):
    """`published(**overrides)`: a published event (returns its JSON)."""
    def make(**overrides) -> dict:
        r = staff.post("/events/v1/events", json=event_body(**overrides))
        assert r.status_code == 201, r.json
        r = staff.post(f"/events/v1/events/{r.json['id']}/publish", json={})
        assert r.status_code == 200, r.json
        return r.json
    return make


@pytest.fixture
def body():
    """`body(**overrides)`: a valid event creation body."""
    return event_body
