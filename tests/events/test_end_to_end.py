"""Across services on the real broker: the registry publishes, the events worker projects, people register;
an erasure in the registry purges their registrations here."""
from __future__ import annotations

from services.events.store import LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from shared.bus.relay import OutboxRelay
from shared.testing import running_worker, wait_until

E = "/events/v1/events"


def test_a_coordinator_created_in_the_registry_registers_and_is_purged_when_erased(api, runtime, body):
    registry = api("registry").as_user("apmsl", ["admin"], sub="staff-apmsl")
    events_staff = api("events").as_user("apmsl", ["admin"], sub="staff-apmsl")
    reg_rt, ev_rt = runtime("registry"), runtime("events")
    relay = OutboxRelay(reg_rt.db, "registry", reg_rt.settings)
    with running_worker(ev_rt):
        msp = registry.post("/registry/v1/structures", json={"kind": "MSP", "name": "MSP de Clisson",
                                                            "city": "Clisson", "department": "44"}).json
        person = registry.post("/registry/v1/people", json={
            "first_name": "Camille", "last_name": "Guérin", "email": "camille.guerin@example.org",
            "roles": [{"role": "coordinator", "structure_id": msp["id"], "start_on": "2021-09-01"}]}).json
        group = registry.post("/registry/v1/local-groups", json={"name": "Groupe local 44 est", "department": "44",
                                                                 "structure_ids": [msp["id"]]}).json
        wait_until(lambda: relay.publish_pending() or ev_rt.db[LOCAL_GROUPS].find_one({"_id": group["id"]}),
                   timeout=15, message="registry events projected")
        wait_until(lambda: ev_rt.db[PEOPLE].find_one({"_id": person["id"]}), timeout=15, message="person projected")
        # An event may only name what the service knows: wait for the structure and the group themselves.
        wait_until(lambda: ev_rt.db[STRUCTURES].find_one({"_id": msp["id"]}), timeout=15, message="structure projected")
        wait_until(lambda: ev_rt.db[LOCAL_GROUPS].find_one({"_id": group["id"]}), timeout=15, message="group projected")

        event = events_staff.post(E, json=body(local_group_id=group["id"], host_structure_id=msp["id"]))
        assert event.status_code == 201, event.json
        event = event.json
        events_staff.post(f"{E}/{event['id']}/publish", json={})
        member = api("events").as_user("apmsl", ["coordinator"], sub=person["id"])
        r = member.post(f"{E}/{event['id']}/registrations", json={})
        assert r.status_code == 201, r.json
        assert r.json["email"] == "camille.guerin@example.org"
        agenda = api("events").anonymous().get("/events/v1/agenda").json["items"][0]
        assert (agenda["local_group_name"], agenda["host_structure_name"]) == ("Groupe local 44 est", "MSP de Clisson")

        assert registry.post(f"/registry/v1/people/{person['id']}/erase").status_code == 200
        wait_until(lambda: relay.publish_pending() or ev_rt.db[PEOPLE].find_one({"_id": person["id"],
                                                                                 "deleted": True}),
                   timeout=15, message="erasure projected")
    stored = ev_rt.db[REGISTRATIONS].find_one({"_id": r.json["id"]})
    assert stored["email"] is None and stored["last_name"] is None and stored["erased"] is True
