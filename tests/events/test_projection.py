"""The registry projection: people, structures, local groups — idempotent, sequence-ordered, erasable."""
from __future__ import annotations

import json

from kombu import Producer

from services.events.store import LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from services.events.worker import registry_projection
from shared.bus.connection import connect, events_exchange
from shared.bus.envelope import CONTENT_TYPE
from shared.testing import make_event, run_handler, running_worker, wait_until, wait_until_handled

E = "/events/v1/events"


def _person(pid, seq, **overrides):
    data = {"id": pid, "federation": "apmsl", "first_name": "Camille", "last_name": "Guérin",
            "email": f"{pid}@demo.maillage.invalid", "phone": None, "may_email": True, "demo": True,
            "roles": [{"structure_id": "s-1", "role": "coordinator", "start_on": "2020-01-01", "end_on": None}],
            "version": seq}
    data.update(overrides)
    return make_event("registry.person.updated.v1" if seq > 1 else "registry.person.registered.v1", data,
                      subject=pid, sequence=seq)


def _publish(settings, envelope):
    with connect(settings) as conn:
        producer = Producer(conn.default_channel, exchange=events_exchange(settings))
        producer.publish(json.dumps(envelope), routing_key=envelope["type"].rsplit(".", 1)[0],
                         content_type=CONTENT_TYPE, delivery_mode=2, declare=[events_exchange(settings)])


def test_the_same_event_twice_is_applied_once(events_rt):
    sub = registry_projection()
    envelope = _person("p-1", 1)
    assert run_handler(events_rt, sub, envelope) == "handled"
    assert run_handler(events_rt, sub, envelope) == "duplicate"
    assert events_rt.db[PEOPLE].find_one({"_id": "p-1"})["last_name"] == "Guérin"


def test_an_older_event_never_rolls_the_projection_back(events_rt):
    sub = registry_projection()
    run_handler(events_rt, sub, _person("p-1", 3, last_name="Martin"))
    run_handler(events_rt, sub, _person("p-1", 2, last_name="Ancien"))
    doc = events_rt.db[PEOPLE].find_one({"_id": "p-1"})
    assert (doc["last_name"], doc["sequence"]) == ("Martin", 3)


def test_structures_and_local_groups_are_projected(events_rt):
    sub = registry_projection()
    structure = {"id": "s-1", "federation": "apmsl", "kind": "MSP", "name": "MSP de Clisson", "city": "Clisson",
                 "department": "44", "status": "aci", "local_group_id": "g-1", "archived": False, "version": 1}
    run_handler(events_rt, sub, make_event("registry.structure.registered.v1", structure, subject="s-1"))
    group = {"id": "g-1", "federation": "apmsl", "name": "Groupe local 44 est", "department": "44",
             "structure_ids": ["s-1"], "contact_person_ids": ["p-1"], "version": 1}
    run_handler(events_rt, sub, make_event("registry.local_group.created.v1", group, subject="g-1"))
    run_handler(events_rt, sub, make_event("registry.local_group.updated.v1",
                                           {**group, "structure_ids": ["s-1", "s-2"], "version": 2},
                                           subject="g-1", sequence=2))
    assert events_rt.db[STRUCTURES].find_one({"_id": "s-1"})["name"] == "MSP de Clisson"
    assert events_rt.db[LOCAL_GROUPS].find_one({"_id": "g-1"})["structure_ids"] == ["s-1", "s-2"]


def test_a_name_change_reaches_the_registrations(events_rt, published, client):
    sub = registry_projection()
    run_handler(events_rt, sub, _person("p-1", 1))
    event = published()
    reg = client.as_user("apmsl", ["member"], sub="p-1").post(f"{E}/{event['id']}/registrations", json={}).json
    run_handler(events_rt, sub, _person("p-1", 2, last_name="Martin", email="c.martin@example.org"))
    doc = events_rt.db[REGISTRATIONS].find_one({"_id": reg["id"]})
    assert (doc["last_name"], doc["email"]) == ("Martin", "c.martin@example.org")


def test_an_erasure_purges_the_person_and_their_registrations_for_good(events_rt, published, client, staff):
    sub = registry_projection()
    run_handler(events_rt, sub, _person("p-1", 1))
    event = published()
    reg = client.as_user("apmsl", ["member"], sub="p-1").post(f"{E}/{event['id']}/registrations", json={}).json
    run_handler(events_rt, sub, make_event("registry.person.erased.v1", {"id": "p-1", "federation": "apmsl"},
                                           subject="p-1", sequence=2))
    person = events_rt.db[PEOPLE].find_one({"_id": "p-1"})
    assert person.get("deleted") and "email" not in person and "last_name" not in person
    stored = events_rt.db[REGISTRATIONS].find_one({"_id": reg["id"]})
    assert stored["first_name"] is None and stored["email"] is None and stored["erased"] is True
    text = staff.get(f"{E}/{event['id']}/registrations").get_data(as_text=True)
    assert "Guérin" not in text and "demo.maillage.invalid" not in text
    # A late redelivery of an older (or even newer) full-state event does not bring the person back.
    run_handler(events_rt, sub, _person("p-1", 5))
    assert events_rt.db[PEOPLE].find_one({"_id": "p-1"}).get("deleted")


def test_events_published_on_the_broker_feed_the_projection_through_the_worker(events_rt, settings):
    with running_worker(events_rt):
        envelope = _person("p-42", 1, last_name="Broker")
        # The worker's queue exists once it has declared it; publish then wait for the handler.
        wait_until(lambda: _declared(settings), message="events projection queue declared")
        _publish(settings, envelope)
        wait_until_handled(events_rt, envelope["id"])
    assert events_rt.db[PEOPLE].find_one({"_id": "p-42"})["last_name"] == "Broker"


def _declared(settings):
    from shared.bus.topology import queue_name
    name = queue_name(settings, "events", "registry-projection")
    try:
        with connect(settings, confirms=False) as conn:
            conn.default_channel.queue_declare(name, passive=True)
        return True
    except Exception:  # noqa: BLE001
        return False


def test_the_envelopes_these_tests_feed_match_the_registry_contract():
    from shared.testing.contract import assert_matches_asyncapi

    envelope = _person("p-1", 1)
    envelope["data"]["roles"][0]["id"] = "r-1"
    assert_matches_asyncapi(envelope)
    assert_matches_asyncapi(make_event("registry.local_group.created.v1", {
        "id": "g-1", "federation": "apmsl", "name": "Groupe", "department": None, "structure_ids": [],
        "contact_person_ids": [], "version": 1}, subject="g-1"))
    assert_matches_asyncapi(make_event("registry.person.erased.v1", {"id": "p-1", "federation": "apmsl"},
                                       subject="p-1", sequence=2))
