"""Structures are placed at their commune's centre (the map of the web console), staff may correct a point."""
import csv
from collections import Counter

import pytest

from registry_builders import field_errors, make_structure
from services.registry import demo, geocoding, structures
from services.registry.store import STRUCTURES
from shared.testing import OutboxCapture


# Pure lookups in the shipped commune centres ------------------------------------------------------------------

def test_every_current_commune_of_france_has_a_centre():
    with geocoding.DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    current = [r for r in rows if r["kind"] == "c"]
    assert len(current) == 34969  # Code officiel géographique 2026
    per_department = Counter(r["department"] for r in current)
    # The departments of the seeded federations, complete (COG 2026 counts).
    assert {d: per_department[d] for d in ("44", "49", "53", "72", "85")} == {
        "44": 207, "49": 176, "53": 240, "72": 352, "85": 253}
    metropole = [r for r in rows if len(r["department"]) == 2]
    assert all(41.3 < float(r["lat"]) < 51.1 and -5.2 < float(r["lon"]) < 9.6 for r in metropole)
    assert Counter(r["precision"] for r in current)["commune"] > 14_000


@pytest.mark.parametrize("where, code", [
    ({"insee_code": "44043"}, "44043"),
    ({"city": "Clisson", "department": "44"}, "44043"),
    ({"city": "sablé sur sarthe", "department": "72"}, "72264"),
    ({"city": "St Berthevin", "department": "53"}, "53201"),
    ({"city": "Nantes Nord", "department": "44"}, "44109"),
    ({"city": "Segré", "department": "49"}, "49331"),       # a commune déléguée: its commune nouvelle
    ({"city": "Bonchamp", "department": "53"}, "53034"),    # Bonchamp-lès-Laval, the one name starting so
    ({"postal_code": "44190"}, None),                       # several communes share it: not guessed
])
def test_a_commune_is_found_by_code_by_name_as_people_write_it_or_not_at_all(where, code):
    found = geocoding.locate(**where)
    assert (found.insee_code if found else None) == code


def test_a_commune_of_that_name_elsewhere_is_not_taken():
    assert geocoding.locate(city="Clisson", department="49") is None
    clisson = geocoding.locate(city="Clisson", department="44")
    assert (round(clisson.lat, 1), round(clisson.lon, 1)) == (47.1, -1.3) and clisson.precision == "commune"


# Through the API -----------------------------------------------------------------------------------------------

def test_a_registered_structure_is_placed_at_its_commune_centre_and_shows_on_the_public_map(api, staff):
    msp = make_structure(staff)
    assert msp["insee_code"] == "44043" and msp["geo_source"] == "geocoded" and msp["geo_precision"] == "commune"
    assert round(msp["geo"]["lat"], 2) == 47.09 and round(msp["geo"]["lon"], 2) == -1.28
    [feature] = api("registry").anonymous().get("/registry/v1/map?department=44").json["features"]
    assert feature["id"] == msp["id"]
    assert feature["geometry"]["coordinates"] == [msp["geo"]["lon"], msp["geo"]["lat"]]


def test_an_insee_code_given_wins_over_the_city_name(staff):
    msp = make_structure(staff, city="Vallet (centre)", insee_code="44212")
    assert msp["insee_code"] == "44212" and msp["geo_source"] == "geocoded"


def test_a_point_given_at_registration_is_kept(staff):
    msp = make_structure(staff, geo={"lat": 47.0871, "lon": -1.2791})
    assert msp["geo"] == {"lat": 47.0871, "lon": -1.2791} and msp["geo_source"] == "given"


def test_an_unknown_commune_leaves_the_structure_off_the_map(api, staff):
    msp = make_structure(staff, city="Nulle-Part-sur-Rien")
    assert msp["geo"] is None and msp["geo_source"] is None
    assert api("registry").anonymous().get("/registry/v1/map").json["features"] == []


def test_a_malformed_insee_code_is_refused_naming_the_field(staff):
    r = staff.post("/registry/v1/structures", json={"kind": "MSP", "name": "MSP X", "city": "Clisson",
                                                    "department": "44", "insee_code": "4404"})
    assert r.status_code == 422 and "insee_code" in field_errors(r)


def _patch(client, structure_id, **changes):
    etag = client.get(f"/registry/v1/structures/{structure_id}").headers["ETag"]
    return client.patch(f"/registry/v1/structures/{structure_id}", json=changes, headers={"If-Match": etag})


def test_a_geocoded_point_follows_the_commune_when_the_city_changes(staff):
    msp = make_structure(staff)
    r = _patch(staff, msp["id"], city="Vallet")
    assert r.status_code == 200, r.json
    assert r.json["insee_code"] == "44212" and r.json["geo"] != msp["geo"] and r.json["geo_source"] == "geocoded"


def test_a_point_corrected_by_staff_sticks_and_is_marked_corrected(api, staff, runtime):
    msp = make_structure(staff)
    events = OutboxCapture(runtime("registry"))
    r = _patch(staff, msp["id"], geo={"lat": 47.0905, "lon": -1.2712})
    assert r.status_code == 200, r.json
    assert r.json["geo"] == {"lat": 47.0905, "lon": -1.2712}
    assert r.json["geo_source"] == "corrected" and r.json["geo_precision"] is None
    [updated] = events.of("registry.structure.updated.v1")
    assert updated["data"]["geo"] == {"lat": 47.0905, "lon": -1.2712} and "geo" in updated["data"]["changed"]
    moved = _patch(staff, msp["id"], city="Vallet")
    assert moved.json["geo"] == {"lat": 47.0905, "lon": -1.2712} and moved.json["geo_source"] == "corrected"
    [feature] = api("registry").anonymous().get("/registry/v1/map").json["features"]
    assert feature["geometry"]["coordinates"] == [-1.2712, 47.0905]


def test_staff_may_take_a_structure_off_the_map_and_it_stays_off(runtime, staff):
    msp = make_structure(staff)
    r = _patch(staff, msp["id"], geo=None)
    assert r.status_code == 200 and r.json["geo"] is None and r.json["geo_source"] == "corrected"
    assert structures.geocode_missing(runtime("registry").db) == 0


def test_a_coordinator_may_not_move_their_structure_on_the_map(staff, as_person):
    msp = make_structure(staff)
    coordinator = staff.post("/registry/v1/people", json={
        "first_name": "Camille", "last_name": "Guérin", "email": "camille.guerin@example.org",
        "roles": [{"role": "coordinator", "structure_id": msp["id"]}]}).json
    r = _patch(as_person(coordinator["id"]), msp["id"], geo={"lat": 47.0, "lon": -1.0})
    assert r.status_code == 403 and "geo" in field_errors(r)


def test_structures_stored_without_a_point_are_placed_once(runtime, staff):
    msp = make_structure(staff)
    db = runtime("registry").db
    db[STRUCTURES].update_one({"_id": msp["id"]}, {"$set": {"geo": None, "has_geo": False, "geo_source": None}})
    assert structures.geocode_missing(db) == 1 and structures.geocode_missing(db) == 0
    again = staff.get(f"/registry/v1/structures/{msp['id']}").json
    assert again["geo"] == msp["geo"] and again["version"] == msp["version"] + 1


def test_the_seeded_networks_show_on_the_public_map(runtime, api):
    demo.load(runtime("registry"))
    features = api("registry").anonymous().get("/registry/v1/map").json["features"]
    # 76 seeded structures; one of FEMAGE's has no commune in the seeds.
    assert len(features) == 75
    assert Counter(f["properties"]["federation"] for f in features) == {"apmsl": 70, "femage": 2, "femasaura": 3}
    assert Counter(f["properties"]["department"] for f in features)["49"] == 21


def test_the_map_response_is_documented_as_geojson(api):
    document = api("registry").anonymous().get("/registry/openapi.json").json
    content = document["paths"]["/registry/v1/map"]["get"]["responses"]["200"]["content"]["application/geo+json"]
    assert content["schema"] == {"$ref": "#/components/schemas/StructureMap"}
    assert "features" in document["components"]["schemas"]["StructureMap"]["properties"]


def test_an_unknown_insee_code_or_one_of_another_department_is_refused_naming_the_field(staff):
    for code, words in (("44999", "Aucune commune"), ("49007", "département 49")):
        r = staff.post("/registry/v1/structures", json={"kind": "MSP", "name": "MSP X", "city": "Clisson",
                                                        "department": "44", "insee_code": code})
        assert r.status_code == 422 and words in field_errors(r)["insee_code"][0], r.json
    msp = make_structure(staff)
    r = _patch(staff, msp["id"], insee_code="49007")
    assert r.status_code == 422 and "insee_code" in field_errors(r)


def test_a_point_stored_before_geocoding_existed_is_kept_when_the_city_changes(runtime, staff):
    msp = make_structure(staff)
    db = runtime("registry").db
    db[STRUCTURES].update_one({"_id": msp["id"]}, {"$set": {"geo": {"lat": 47.1, "lon": -1.3}},
                                                   "$unset": {"geo_source": "", "geo_precision": ""}})
    moved = _patch(staff, msp["id"], city="Vallet")
    assert moved.status_code == 200 and moved.json["geo"] == {"lat": 47.1, "lon": -1.3}
