"""CSV exports (staff only) and the public map (no token, no personal data)."""
import csv
import io

import pytest

from registry_builders import make_person, make_structure


def rows(response):
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_staff_export_structures_as_csv_with_the_list_filters(staff, other_staff):
    make_structure(staff, name="MSP de Clisson", membership_years=[2023, 2024], professionals={"infirmier": 3,
                                                                                              "pharmacien": 1})
    make_structure(staff, name="=HYPERLINK(\"http://evil\")", department="49", city="Angers")
    make_structure(other_staff, name="MSP Troyes", city="Troyes", department="10")
    got = rows(staff.get("/registry/v1/exports/structures.csv"))
    assert [r["name"] for r in got] == ["'=HYPERLINK(\"http://evil\")", "MSP de Clisson"]
    clisson = got[1]
    assert clisson["membership_years"] == "2023 2024" and clisson["professionals_total"] == "4"
    assert clisson["multi_site"] == "non" and clisson["federation"] == "apmsl"
    assert [r["name"] for r in rows(staff.get("/registry/v1/exports/structures.csv?department=44"))] == [
        "MSP de Clisson"]


def test_staff_export_people_as_csv(staff):
    msp = make_structure(staff)
    make_person(staff, employment_status="employee", roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    [row] = rows(staff.get("/registry/v1/exports/people.csv?role=coordinator"))
    assert row["last_name"] == "Guérin" and row["roles"] == "coordinator@MSP de Clisson"
    assert row["email"] == "camille.guerin@example.org" and row["may_email"] == "oui"


@pytest.mark.parametrize("path", ["/registry/v1/exports/structures.csv", "/registry/v1/exports/people.csv"])
def test_csv_exports_are_for_staff_only(api, member, path):
    assert member.get(path).status_code == 403
    assert api("registry").as_user("apmsl", ["coordinator"]).get(path).status_code == 403
    assert api("registry").anonymous().get(path).status_code == 401


def test_csv_export_filters_are_validated(staff):
    r = staff.get("/registry/v1/exports/structures.csv?kind=hopital")
    assert r.status_code == 422 and "kind" in r.json["errors"]
    assert staff.get("/registry/v1/exports/people.csv?page=2").status_code == 422


def test_the_public_map_is_geojson_without_token_or_personal_data(api, staff, other_staff):
    pinned = make_structure(staff, geo={"lat": 47.087, "lon": -1.279}, email="contact@msp.fr", phone="0240000000",
                            finess="440012345")
    make_structure(staff, name="MSP sans point", city="Nulle-Part-sur-Rien")
    make_structure(other_staff, name="MSP Troyes", city="Troyes", department="10", geo={"lat": 48.3, "lon": 4.08})
    archived = make_structure(staff, name="MSP archivée", geo={"lat": 47.2, "lon": -1.5})
    staff.post(f"/registry/v1/structures/{archived['id']}/archive", json={})
    make_person(staff, roles=[{"role": "coordinator", "structure_id": pinned["id"]}])
    anonymous = api("registry").anonymous()
    r = anonymous.get("/registry/v1/map")
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    assert r.json["type"] == "FeatureCollection" and len(r.json["features"]) == 2
    feature = next(f for f in r.json["features"] if f["id"] == pinned["id"])
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.279, 47.087]}
    assert set(feature["properties"]) == {"kind", "name", "city", "status", "department", "federation",
                                          "labellisee_on", "aci_on"}
    body = r.data.decode()
    for personal in ("contact@msp.fr", "0240000000", "440012345", "Guérin", "camille"):
        assert personal not in body
    only_femage = anonymous.get("/registry/v1/map?federation=femage").json["features"]
    assert [f["properties"]["name"] for f in only_femage] == ["MSP Troyes"]
    assert anonymous.get("/registry/v1/map?kind=hopital").status_code == 422
    assert anonymous.get("/registry/v1/map?email=x").status_code == 422
