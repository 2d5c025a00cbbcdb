"""`maillage seed` for the registry: the real network from the seeds, invented people, idempotent."""
from services.registry import demo


def test_the_demo_network_is_loaded_once_however_often_it_is_seeded(runtime, api):
    rt = runtime("registry")
    first = demo.load(rt)
    assert first.startswith("76 structures")
    assert demo.load(rt) == "0 structures, 0 territories, 0 staff, 0 local groups, 0 people added"
    db = rt.db
    assert db.structures.count_documents({}) == 76 and db.local_groups.count_documents({}) == 12
    est = db.local_groups.find_one({"_id": "apmsl-44-est"})
    assert est["name"] == "Groupe local 44 est" and len(est["structure_ids"]) == 9
    assert db.local_groups.count_documents({"federation": "apmsl"}) == 7
    assert {t["_id"] for t in db.territories.find({"kind": "coordination"})} == {
        "femasaura-ouest", "femasaura-centre", "femasaura-est"}
    assert db.people.count_documents({"demo": False}) == 0
    apmsl = api("registry").as_user("apmsl", ["admin"])
    figures = apmsl.get("/registry/v1/stats").json
    assert figures["structures"]["by_kind"]["MSP"] == 70
    assert 3 <= figures["coordinators"]["weekly_hours"]["min"] and figures["coordinators"]["weekly_hours"]["max"] <= 35
    bar = apmsl.get("/registry/v1/people?q=bigot").json
    assert bar["total"] == 0  # FEMAGE's coordinator is not APMSL's business
