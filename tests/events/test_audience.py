"""The audience an event is published for decides who may register themself; staff may add anyone."""
from __future__ import annotations

import pytest

from services.events import audience as rule

PROBLEM = "application/problem+json"
E = "/events/v1/events"
CLISSON = "apmsl-msp-clisson"  # an MSP of the local group apmsl-44-est (tests/events/conftest.py)


@pytest.fixture
def cpts(events_rt):
    from services.events.worker import registry_projection
    from shared.testing import make_event, run_handler

    data = {"id": "apmsl-cpts-sud", "federation": "apmsl", "kind": "CPTS", "name": "CPTS Sud-Loire", "city": "Rezé",
            "department": "44", "status": "aci", "local_group_id": None, "archived": False}
    run_handler(events_rt, registry_projection(), make_event("registry.structure.registered.v1", data,
                                                             subject=data["id"], federation="apmsl"))
    return data["id"]


def _role(structure_id, role="coordinator", start="2020-01-01", end=None):
    return {"structure_id": structure_id, "role": role, "start_on": start, "end_on": end}


def _register(client, person_id, event):
    return client.as_user("apmsl", ["member"], sub=person_id).post(f"{E}/{event['id']}/registrations", json={})


def test_someone_outside_the_local_group_cannot_register_themself(published, person, client, cpts):
    event = published(audience={"local_group_ids": ["apmsl-44-est"]})
    outsider = person("p-out", roles=[_role(cpts)])
    r = _register(client, outsider, event)
    assert r.status_code == 403 and r.mimetype == PROBLEM and "audience" in r.json["errors"], r.json
    assert "Groupe local 44 est" in r.json["detail"]
    assert _register(client, person("p-in", roles=[_role(CLISSON)]), event).status_code == 201


def test_the_kinds_of_structure_and_the_roles_are_enforced(published, person, client, cpts):
    event = published(audience={"structure_kinds": ["CPTS"], "roles": ["coordinator"]})
    assert _register(client, person("p-msp", roles=[_role(CLISSON)]), event).status_code == 403
    assert _register(client, person("p-leader", roles=[_role(cpts, "leader")]), event).status_code == 403
    assert _register(client, person("p-cpts", roles=[_role(cpts)]), event).status_code == 201


def test_a_role_that_ended_no_longer_counts(published, person, client):
    event = published(audience={"local_group_ids": ["apmsl-44-est"]})
    former = person("p-former", roles=[_role(CLISSON, start="2018-01-01", end="2021-12-31")])
    assert _register(client, former, event).status_code == 403


def test_staff_add_someone_outside_the_audience_explicitly(published, person, staff, cpts):
    event = published(audience={"local_group_ids": ["apmsl-44-est"]})
    outsider = person("p-out", roles=[_role(cpts)])
    r = staff.post(f"{E}/{event['id']}/registrations", json={"person_id": outsider})
    assert r.status_code == 201 and r.json["person_id"] == outsider


def test_an_event_without_audience_is_open_to_the_whole_federation(published, person, client, cpts):
    event = published(audience={"local_group_ids": [], "structure_kinds": [], "roles": []})
    assert _register(client, person("p-any", roles=[_role(cpts)]), event).status_code == 201


def test_the_group_contacts_are_in_its_audience():
    import datetime as dt

    group = {"_id": "g1", "structure_ids": [], "contact_person_ids": ["p-contact"]}
    assert rule.in_audience({"_id": "p-contact", "roles": []}, {"local_group_ids": ["g1"]}, {}, {"g1": group},
                            dt.date(2031, 1, 1))
    assert not rule.in_audience({"_id": "p-other", "roles": []}, {"local_group_ids": ["g1"]}, {}, {"g1": group},
                                dt.date(2031, 1, 1))
