"""Every event type the registry publishes, as it arrives on the broker, matches docs/asyncapi.yaml."""
from services.registry.events import catalog
from shared.bus.envelope import validate_envelope
from shared.testing.contract import assert_matches_asyncapi

from registry_builders import make_group, make_person, make_structure, publish


def test_every_registry_event_on_the_broker_matches_the_asyncapi_contract(staff, runtime, capture):
    broker = capture("registry.#")
    msp = make_structure(staff, geo={"lat": 47.2, "lon": -1.55}, address="1 rue X", created_on="2019-01-01",
                         membership_years=[2024], professionals={"infirmier": 2}, finess="440012345")
    other = make_structure(staff, name="MSP Doulon", status="aci")
    staff.patch(f"/registry/v1/structures/{msp['id']}", json={"status": "labellisee"})
    person = make_person(staff, roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    r = staff.post(f"/registry/v1/people/{person['id']}/roles", json={"role": "facilitator"})
    role_id = next(x["id"] for x in r.json["roles"] if x["role"] == "facilitator")
    staff.post(f"/registry/v1/people/{person['id']}/roles/{role_id}/end", json={})
    group = make_group(staff, structure_ids=[msp["id"]], contact_person_ids=[person["id"]])
    staff.post(f"/registry/v1/local-groups/{group['id']}/structures", json={"structure_id": other["id"]})
    staff.delete(f"/registry/v1/local-groups/{group['id']}/structures/{other['id']}")
    staff.post(f"/registry/v1/structures/{msp['id']}/archive", json={})
    staff.post(f"/registry/v1/people/{person['id']}/erase")
    publish(runtime)

    types = set(catalog.types)
    broker.wait_for("registry.person.erased.v1")
    seen = {}
    for envelope in broker.received:
        validate_envelope(envelope)
        assert_matches_asyncapi(envelope)
        seen.setdefault(envelope["type"], envelope)
    assert set(seen) == types, f"never published: {sorted(types - set(seen))}"
    # Projections order by the aggregate's version.
    assert seen["registry.structure.registered.v1"]["sequence"] == 1
    assert seen["registry.structure.registered.v1"]["data"]["geo"] == {"lat": 47.2, "lon": -1.55}
