"""Training next to the real registry, over the real broker: no HTTP between them, only events."""
from __future__ import annotations

from services.training.store import APPLICATIONS, PEOPLE, STRUCTURES
from shared.testing import running_worker, wait_until


def test_a_coordinator_registered_in_the_registry_applies_and_their_erasure_reaches_training(training, api,
                                                                                            runtime):
    registry = api("registry").as_user("femasaura", ["admin"])
    # Training's queue exists once its worker started: what the registry publishes from then on reaches it.
    with running_worker(training.rt), running_worker(runtime("registry")):
        structure = registry.post("/registry/v1/structures", json={
            "kind": "MSP", "name": "MSP des Volcans", "city": "Riom", "department": "63"})
        assert structure.status_code == 201, structure.json
        sid = structure.json["id"]
        person = registry.post("/registry/v1/people", json={
            "first_name": "Nadia", "last_name": "Roux", "email": "nadia.roux@example.org",
            "roles": [{"role": "coordinator", "structure_id": sid, "start_on": "2022-01-01"}]})
        assert person.status_code == 201, person.json
        pid = person.json["id"]
        wait_until(lambda: training.rt.db[PEOPLE].find_one({"_id": pid}), message="person projected")
        wait_until(lambda: training.rt.db[STRUCTURES].find_one({"_id": sid}), message="structure projected")

        cohort = training.cohort()
        application = training.apply(cohort["id"], pid, sid)
        assert application["person"]["last_name"] == "Roux"
        assert application["structure"]["name"] == "MSP des Volcans"

        erased = registry.post(f"/registry/v1/people/{pid}/erase", json={})
        assert erased.status_code in (200, 202, 204), erased.json
        wait_until(lambda: (training.rt.db[PEOPLE].find_one({"_id": pid}) or {}).get("deleted"),
                   message="person purged from training")
    doc = training.rt.db[APPLICATIONS].find_one({"_id": application["id"]})
    assert doc["motivation"] is None and doc["person_id"] != pid
