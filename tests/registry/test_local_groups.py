"""Local groups of coordinators: member structures (one group at a time), contacts, events."""
import pytest

from shared.testing import OutboxCapture

from registry_builders import field_errors, make_group, make_person, make_structure


def test_a_group_is_created_with_members_and_contacts(staff, runtime):
    a, b = make_structure(staff, name="MSP Bellevue"), make_structure(staff, name="MSP Doulon")
    contact = make_person(staff, roles=[{"role": "federation_staff"}])
    outbox = OutboxCapture(runtime("registry"))
    group = make_group(staff, label="44 est", structure_ids=[a["id"], b["id"]], contact_person_ids=[contact["id"]])
    assert group["structure_ids"] == [a["id"], b["id"]] and group["contact_person_ids"] == [contact["id"]]
    assert staff.get(f"/registry/v1/structures/{a['id']}").json["local_group_id"] == group["id"]
    assert outbox.types == ["registry.local_group.created.v1",
                            "registry.structure.joined_group.v1", "registry.structure.updated.v1",
                            "registry.structure.joined_group.v1", "registry.structure.updated.v1"]
    created = outbox.events[0]
    assert created["sequence"] == 1 and created["data"]["structure_ids"] == [a["id"], b["id"]]
    assert outbox.events[2]["data"]["local_group_id"] == group["id"] and outbox.events[2]["data"]["changed"] == [
        "local_group_id"]
    listed = staff.get(f"/registry/v1/local-groups?structure_id={b['id']}").json
    assert [g["id"] for g in listed["items"]] == [group["id"]]
    assert staff.get(f"/registry/v1/structures?local_group_id={group['id']}").json["total"] == 2


def test_joining_a_group_leaves_the_previous_one(staff, runtime):
    msp = make_structure(staff)
    est = make_group(staff, name="Groupe local 44 est", structure_ids=[msp["id"]])
    ouest = make_group(staff, name="Groupe local 44 ouest")
    outbox = OutboxCapture(runtime("registry"))
    r = staff.post(f"/registry/v1/local-groups/{ouest['id']}/structures", json={"structure_id": msp["id"]})
    assert r.status_code == 200 and r.json["structure_ids"] == [msp["id"]] and r.json["version"] == 2
    assert staff.get(f"/registry/v1/local-groups/{est['id']}").json["structure_ids"] == []
    assert outbox.types == ["registry.structure.left_group.v1", "registry.local_group.updated.v1",
                            "registry.structure.joined_group.v1", "registry.local_group.updated.v1",
                            "registry.structure.updated.v1"]
    left, est_updated, joined, ouest_updated, _ = outbox.events
    assert left["data"] == {"structure_id": msp["id"], "local_group_id": est["id"], "federation": "apmsl"}
    assert left["sequence"] == est_updated["sequence"] == 2
    assert joined["sequence"] == ouest_updated["sequence"] == 2
    r = staff.post(f"/registry/v1/local-groups/{ouest['id']}/structures", json={"structure_id": msp["id"]})
    assert r.status_code == 409


def test_a_structure_leaves_its_group(staff, runtime):
    msp = make_structure(staff)
    group = make_group(staff, structure_ids=[msp["id"]])
    outbox = OutboxCapture(runtime("registry"))
    r = staff.delete(f"/registry/v1/local-groups/{group['id']}/structures/{msp['id']}")
    assert r.status_code == 200 and r.json["structure_ids"] == []
    assert staff.get(f"/registry/v1/structures/{msp['id']}").json["local_group_id"] is None
    assert outbox.types == ["registry.structure.left_group.v1", "registry.local_group.updated.v1",
                            "registry.structure.updated.v1"]
    assert staff.delete(f"/registry/v1/local-groups/{group['id']}/structures/{msp['id']}").status_code == 404


def test_archiving_a_structure_takes_it_out_of_its_group(staff):
    msp = make_structure(staff)
    group = make_group(staff, structure_ids=[msp["id"]])
    staff.post(f"/registry/v1/structures/{msp['id']}/archive", json={})
    assert staff.get(f"/registry/v1/local-groups/{group['id']}").json["structure_ids"] == []
    r = staff.post(f"/registry/v1/local-groups/{group['id']}/structures", json={"structure_id": msp["id"]})
    assert r.status_code == 409


def test_a_group_is_renamed_and_its_contacts_changed_with_if_match(staff, runtime):
    group = make_group(staff)
    contact = make_person(staff, roles=[{"role": "federation_staff"}])
    r = staff.patch(f"/registry/v1/local-groups/{group['id']}", json={"name": "Groupe 44 Est", "contact_person_ids":
                                                                    [contact["id"]]},
                    headers={"If-Match": f'"{group["id"]}-1"'})
    assert r.status_code == 200 and r.json["name"] == "Groupe 44 Est" and r.json["version"] == 2
    stale = staff.patch(f"/registry/v1/local-groups/{group['id']}", json={"name": "Encore"},
                        headers={"If-Match": f'"{group["id"]}-1"'})
    assert stale.status_code == 412


@pytest.mark.parametrize("body,field", [
    ({"name": ""}, "name"), ({"department": "100"}, "department"), ({"structure_ids": "abc"}, "structure_ids"),
    ({"structure_ids": ["missing"]}, "structure_ids"), ({"contact_person_ids": ["nobody"]}, "contact_person_ids"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_groups_are_refused_naming_the_field(staff, runtime, body, field):
    r = staff.post("/registry/v1/local-groups", json={"name": "Groupe local 53", **body})
    assert r.status_code == 422 and field in field_errors(r), r.json
    assert runtime("registry").db.local_groups.count_documents({}) == 0


def test_groups_are_invisible_to_other_federations_and_written_only_by_staff(staff, other_staff, member):
    msp = make_structure(staff)
    group = make_group(staff)
    assert member.get(f"/registry/v1/local-groups/{group['id']}").status_code == 200
    assert member.post("/registry/v1/local-groups", json={"name": "Groupe"}).status_code == 403
    assert member.post(f"/registry/v1/local-groups/{group['id']}/structures",
                       json={"structure_id": msp["id"]}).status_code == 403
    assert other_staff.get(f"/registry/v1/local-groups/{group['id']}").status_code == 404
    assert other_staff.get("/registry/v1/local-groups").json["total"] == 0
    assert other_staff.post(f"/registry/v1/local-groups/{group['id']}/structures",
                            json={"structure_id": msp["id"]}).status_code == 404
    theirs = make_group(other_staff, name="Groupe des coordinateurs de l'Aube", department="10")
    r = other_staff.post(f"/registry/v1/local-groups/{theirs['id']}/structures", json={"structure_id": msp["id"]})
    assert r.status_code == 422 and "structure_id" in field_errors(r)


def test_groups_list_filters_and_paginates(staff):
    for name, dep in (("Groupe local 49 nord", "49"), ("Groupe local 49 sud", "49"), ("Groupe local 53", "53")):
        make_group(staff, name=name, department=dep)
    assert staff.get("/registry/v1/local-groups?department=49").json["total"] == 2
    page = staff.get("/registry/v1/local-groups?per_page=1&page=3").json
    assert page["total"] == 3 and page["items"][0]["name"] == "Groupe local 53"
    assert staff.get("/registry/v1/local-groups?q=nord").json["items"][0]["name"] == "Groupe local 49 nord"
    assert staff.get("/registry/v1/local-groups?department[$ne]=1").status_code == 422


def test_joining_needs_a_structure_id(staff):
    group = make_group(staff)
    for body, field in (({}, "structure_id"), ({"structure_id": 12}, "structure_id"), ({"structure": "x"}, "structure")):
        r = staff.post(f"/registry/v1/local-groups/{group['id']}/structures", json=body)
        assert r.status_code == 422 and field in field_errors(r), r.json
    assert staff.get(f"/registry/v1/local-groups/{group['id']}").json["version"] == 1
