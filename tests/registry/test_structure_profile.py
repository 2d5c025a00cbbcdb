"""Structures beyond the backbone: address and geo, dates, membership years, professionals, archive,
and what a structure's coordinator may change."""
import pytest

from shared.testing import OutboxCapture

from registry_builders import field_errors, make_person, make_structure

PROFILE = {"address": "2 rue de la Gare", "postal_code": "44190", "geo": {"lat": 47.087, "lon": -1.279},
           "multi_site": True, "created_on": "2016-03-01", "membership_years": [2022, 2023],
           "professionals": {"medecin_generaliste": 4, "infirmier": 6, "masseur_kinesitherapeute": 2}}


def test_a_structure_keeps_its_address_geo_dates_membership_and_professionals(staff):
    created = make_structure(staff, **PROFILE, status="aci", status_date="2019-06-01")
    got = staff.get(f"/registry/v1/structures/{created['id']}").json
    assert got["address"] == "2 rue de la Gare" and got["geo"] == {"lat": 47.087, "lon": -1.279}
    assert got["multi_site"] is True and got["created_on"] == "2016-03-01"
    assert got["labellisee_on"] == "2019-06-01" and got["aci_on"] == "2019-06-01"
    assert got["membership_years"] == [2022, 2023] and got["professionals"]["infirmier"] == 6
    assert got["region"] == "52" and got["archived"] is False and got["local_group_id"] is None


def test_structures_are_filtered_by_member_year_and_multi_site(staff):
    make_structure(staff, name="MSP Adhérente", membership_years=[2023])
    make_structure(staff, name="MSP Ancienne", membership_years=[2021], multi_site=True)
    names = lambda q: [s["name"] for s in staff.get(f"/registry/v1/structures?{q}").json["items"]]  # noqa: E731
    assert names("member_year=2023") == ["MSP Adhérente"]
    assert names("multi_site=true") == ["MSP Ancienne"]


@pytest.mark.parametrize("body,field", [
    ({"geo": {"lat": 95, "lon": 0}}, "geo"), ({"geo": {"lat": 47}}, "geo"), ({"geo": {"lat": 1, "lon": 2, "z": 3}}, "geo"),
    ({"professionals": {"astronaute": 2}}, "professionals"), ({"professionals": {"infirmier": -1}}, "professionals"),
    ({"membership_years": [2023, 2023]}, "membership_years"), ({"membership_years": [1800]}, "membership_years"),
    ({"created_on": "hier"}, "created_on"), ({"multi_site": "peut-être"}, "multi_site"),
    ({"address": "x" * 400}, "address"), ({"local_group_id": "g1"}, "local_group_id"),
    ({"archived": True}, "archived"),
])
def test_bad_profile_fields_are_refused_naming_the_field(staff, runtime, body, field):
    r = staff.post("/registry/v1/structures", json={"kind": "MSP", "name": "MSP X", "city": "Nantes",
                                                    "department": "44", **body})
    assert r.status_code == 422, r.json
    assert field in field_errors(r)
    assert runtime("registry").db.structures.count_documents({}) == 0


def test_an_archived_structure_leaves_lists_unless_asked_and_is_read_only(staff, runtime):
    kept = make_structure(staff, name="MSP Gardée")
    gone = make_structure(staff, name="MSP Fermée")
    outbox = OutboxCapture(runtime("registry"))
    r = staff.post(f"/registry/v1/structures/{gone['id']}/archive", json={"archived_on": "2024-09-30"})
    assert r.status_code == 200 and r.json["archived"] is True and r.json["archived_on"] == "2024-09-30"
    assert outbox.types == ["registry.structure.updated.v1", "registry.structure.archived.v1"]
    assert outbox.of("registry.structure.archived.v1")[0]["data"] == {
        "id": gone["id"], "federation": "apmsl", "archived_on": "2024-09-30"}
    assert [s["id"] for s in staff.get("/registry/v1/structures").json["items"]] == [kept["id"]]
    listed = staff.get("/registry/v1/structures?archived=true").json["items"]
    assert {s["id"]: s["archived"] for s in listed} == {kept["id"]: False, gone["id"]: True}
    assert staff.get(f"/registry/v1/structures/{gone['id']}").json["archived"] is True
    r = staff.patch(f"/registry/v1/structures/{gone['id']}", json={"phone": "02 40 00 00 00"})
    assert r.status_code == 409 and "archived" in field_errors(r)
    assert staff.post(f"/registry/v1/structures/{gone['id']}/archive", json={}).status_code == 409


def test_a_restored_structure_is_listed_again(staff):
    s = make_structure(staff)
    staff.post(f"/registry/v1/structures/{s['id']}/archive", json={})
    r = staff.post(f"/registry/v1/structures/{s['id']}/restore")
    assert r.status_code == 200 and r.json["archived"] is False and r.json["archived_on"] is None
    assert staff.get("/registry/v1/structures").json["total"] == 1


def test_only_staff_of_the_federation_archive(staff, other_staff, member):
    s = make_structure(staff)
    assert member.post(f"/registry/v1/structures/{s['id']}/archive", json={}).status_code == 403
    assert other_staff.post(f"/registry/v1/structures/{s['id']}/archive", json={}).status_code == 404


@pytest.fixture
def coordinated(staff, as_person):
    """A structure, its coordinator (a person), and a client signed as that coordinator."""
    structure = make_structure(staff, email="contact@msp-clisson.fr")
    person = make_person(staff, roles=[{"role": "coordinator", "structure_id": structure["id"]}])
    return structure, person, as_person(person["id"], "coordinator")


def test_a_coordinator_updates_their_structures_contact_data(coordinated):
    structure, _, coordinator = coordinated
    r = coordinator.patch(f"/registry/v1/structures/{structure['id']}",
                          json={"email": "accueil@msp-clisson.fr", "phone": "02 40 54 00 00",
                                "website": "https://msp-clisson.fr", "address": "1 place du Minage"})
    assert r.status_code == 200, r.json
    assert r.json["email"] == "accueil@msp-clisson.fr" and r.json["address"] == "1 place du Minage"


@pytest.mark.parametrize("body,field", [({"status": "labellisee"}, "status"), ({"name": "MSP Renommée"}, "name"),
                                        ({"email": "a@b.fr", "finess": "440012345"}, "finess")])
def test_a_coordinator_cannot_change_status_or_anything_but_contact_data(coordinated, staff, body, field):
    structure, _, coordinator = coordinated
    r = coordinator.patch(f"/registry/v1/structures/{structure['id']}", json=body)
    assert r.status_code == 403 and field in field_errors(r)
    assert staff.get(f"/registry/v1/structures/{structure['id']}").json["version"] == 1


def test_a_coordinator_cannot_touch_a_structure_they_do_not_coordinate(coordinated, staff, as_person):
    _, person, coordinator = coordinated
    elsewhere = make_structure(staff, name="MSP Ailleurs")
    assert coordinator.patch(f"/registry/v1/structures/{elsewhere['id']}", json={"phone": "0240000000"}).status_code == 403
    # A token claiming to be a coordinator without being one in the registry changes nothing either.
    stranger = as_person("not-a-person", "coordinator")
    assert stranger.patch(f"/registry/v1/structures/{elsewhere['id']}", json={"phone": "0240000000"}).status_code == 403


def test_a_coordinator_whose_role_ended_can_no_longer_edit(coordinated, staff):
    structure, person, coordinator = coordinated
    role_id = person["roles"][0]["id"]
    assert staff.post(f"/registry/v1/people/{person['id']}/roles/{role_id}/end", json={}).status_code == 200
    assert coordinator.patch(f"/registry/v1/structures/{structure['id']}", json={"phone": "0240000000"}).status_code == 403


def test_national_reads_every_federation_but_writes_none(staff, other_staff, national):
    a = make_structure(staff)
    b = make_structure(other_staff, name="MSP de Bar-sur-Seine", city="Bar-sur-Seine", department="10")
    assert national.get("/registry/v1/structures").json["total"] == 2
    assert national.get("/registry/v1/structures?federation=femage").json["items"][0]["id"] == b["id"]
    assert national.patch(f"/registry/v1/structures/{a['id']}", json={"phone": "0240000000"}).status_code == 403


def test_archive_and_restore_refuse_bad_input_and_other_federations(staff, other_staff):
    s = make_structure(staff)
    r = staff.post(f"/registry/v1/structures/{s['id']}/archive", json={"archived_on": "bientôt"})
    assert r.status_code == 422 and "archived_on" in field_errors(r)
    r = staff.post(f"/registry/v1/structures/{s['id']}/archive", json={"reason": "x"})
    assert r.status_code == 422 and "reason" in field_errors(r)
    assert staff.get(f"/registry/v1/structures/{s['id']}").json["archived"] is False
    assert staff.post(f"/registry/v1/structures/{s['id']}/restore").status_code == 409
    staff.post(f"/registry/v1/structures/{s['id']}/archive", json={})
    assert other_staff.post(f"/registry/v1/structures/{s['id']}/restore").status_code == 404
