"""Reference data (regions, departments, federations: public, read-only) and coordination territories."""
import pytest

from registry_builders import field_errors

OUEST = {"name": "Territoire Ouest", "departments": ["03", "15", "43", "63"]}


def test_regions_and_departments_are_served_with_their_insee_codes_without_token(api):
    anonymous = api("registry").anonymous()
    regions = anonymous.get("/registry/v1/regions?per_page=100").json
    assert regions["total"] == 18
    assert {"code": "52", "name": "Pays de la Loire", "overseas": False} in regions["items"]
    departments = anonymous.get("/registry/v1/departments?region=52").json
    assert sorted(d["code"] for d in departments["items"]) == ["44", "49", "53", "72", "85"]
    assert anonymous.get("/registry/v1/departments?per_page=100").json["total"] == 101
    assert anonymous.get("/registry/v1/departments?region=x").status_code == 422


def test_federations_are_listed(api):
    feds = api("registry").anonymous().get("/registry/v1/federations").json["items"]
    assert {f["code"] for f in feds} == {"apmsl", "femasaura", "femage", "avecsante-na"}


def test_a_federation_defines_its_coordination_territories(api):
    aura = api("registry").as_user("femasaura", ["admin"])
    r = aura.post("/registry/v1/territories", json=OUEST)
    assert r.status_code == 201, r.json
    territory = r.json
    assert territory["kind"] == "coordination" and territory["federation"] == "femasaura"
    assert aura.get("/registry/v1/territories?department=63").json["items"][0]["id"] == territory["id"]
    assert aura.get("/registry/v1/territories?department=69").json["total"] == 0
    r = aura.patch(f"/registry/v1/territories/{territory['id']}", json={"departments": ["03", "15", "43", "63", "42"]},
                   headers={"If-Match": f'"{territory["id"]}-1"'})
    assert r.status_code == 200 and "42" in r.json["departments"] and r.json["version"] == 2
    stale = aura.patch(f"/registry/v1/territories/{territory['id']}", json={"name": "Ouest"},
                       headers={"If-Match": f'"{territory["id"]}-1"'})
    assert stale.status_code == 412


@pytest.mark.parametrize("body,field", [
    ({"name": "X", "departments": []}, "departments"), ({"name": "Ouest", "departments": ["999"]}, "departments"),
    ({"name": "Ouest", "departments": ["63", "63"]}, "departments"), ({"departments": ["63"]}, "name"),
    ({**OUEST, "kind": "galaxy"}, "kind"), ({**OUEST, "colour": "red"}, "colour"),
])
def test_bad_territories_are_refused_naming_the_field(staff, runtime, body, field):
    r = staff.post("/registry/v1/territories", json=body)
    assert r.status_code == 422 and field in field_errors(r), r.json
    assert runtime("registry").db.territories.count_documents({}) == 0


def test_territories_are_isolated_and_written_by_staff_only(api, staff, member):
    aura = api("registry").as_user("femasaura", ["admin"])
    territory = aura.post("/registry/v1/territories", json=OUEST).json
    assert staff.get(f"/registry/v1/territories/{territory['id']}").status_code == 404
    assert staff.get("/registry/v1/territories").json["total"] == 0
    assert member.post("/registry/v1/territories", json=OUEST).status_code == 403
    assert staff.post("/registry/v1/territories", json={**OUEST, "federation": "femasaura"}).status_code == 403
