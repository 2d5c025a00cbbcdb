"""The registry structures slice over HTTP: lifecycle, validation, isolation, concurrency control."""
import pytest

from shared.bus.outbox import OUTBOX
from shared.testing import OutboxCapture

MSP = {"kind": "MSP", "name": "MSP de l'Estuaire", "city": "Saint-Nazaire", "department": "44"}


@pytest.fixture
def apmsl(api):
    return api("registry").as_user("apmsl", ["admin"], sub="staff-apmsl")


@pytest.fixture
def femage(api):
    return api("registry").as_user("femage", ["admin"], sub="staff-femage")


def create(client, **overrides):
    r = client.post("/registry/v1/structures", json={**MSP, **overrides})
    assert r.status_code == 201, r.json
    return r.json


def nothing_written(runtime):
    db = runtime("registry").db
    return db.structures.count_documents({}) == 0 and db[OUTBOX].count_documents({}) == 0


def test_a_structure_is_registered_read_back_and_listed(apmsl):
    created = create(apmsl, finess="440012345", siret="73282932000074", postal_code="44600")
    r = apmsl.get(f"/registry/v1/structures/{created['id']}")
    assert r.status_code == 200
    assert r.headers["ETag"] == f'"{created["id"]}-1"'
    assert r.json["status"] == "projet" and r.json["finess"] == "440012345"
    listed = apmsl.get("/registry/v1/structures?department=44&kind=MSP").json
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]


def test_the_lifecycle_moves_projet_labellisee_aci_with_dates_and_events(apmsl, runtime):
    s = create(apmsl, status_date="2023-06-01")
    outbox = OutboxCapture(runtime("registry"))
    r = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"status": "labellisee", "status_date": "2024-03-01"})
    assert r.status_code == 200 and r.json["labellisee_on"] == "2024-03-01"
    r = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"status": "aci", "status_date": "2024-09-15"})
    assert r.json["aci_on"] == "2024-09-15" and r.json["version"] == 3
    assert [h["to"] for h in r.json["status_history"]] == ["projet", "labellisee", "aci"]
    changes = outbox.of("registry.structure.status_changed.v1")
    assert [(e["data"]["from"], e["data"]["to"], e["data"]["date"]) for e in changes] == [
        ("projet", "labellisee", "2024-03-01"), ("labellisee", "aci", "2024-09-15")]
    assert [e["sequence"] for e in outbox.of("registry.structure.updated.v1")] == [2, 3]


@pytest.mark.parametrize("start,target", [("projet", "aci"), ("aci", "labellisee"), ("fermee", "projet")])
def test_transitions_outside_the_lifecycle_are_refused(apmsl, start, target):
    s = create(apmsl, status=start, status_date="2023-06-01")
    r = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"status": target})
    assert r.status_code == 409
    assert r.mimetype == "application/problem+json"
    assert "status" in r.json["errors"]


def test_a_status_cannot_be_dated_before_the_previous_one(apmsl):
    s = create(apmsl, status="labellisee", status_date="2024-05-01")
    r = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"status": "aci", "status_date": "2024-01-01"})
    assert r.status_code == 409 and "status_date" in r.json["errors"]


def test_a_duplicate_finess_is_a_conflict_on_the_field(apmsl, femage):
    create(apmsl, finess="440012345")
    r = femage.post("/registry/v1/structures", json={**MSP, "name": "Autre", "finess": "440012345"})
    assert r.status_code == 409 and "finess" in r.json["errors"]


@pytest.mark.parametrize("field,value", [
    ("kind", "HOPITAL"), ("kind", 3), ("name", ""), ("name", "x" * 10_000), ("department", "20"),
    ("department", {"$ne": None}), ("finess", "12345"), ("siret", "73282932000075"), ("siret", "abc"),
    ("email", "pas-un-mail"), ("status", "ouverte"), ("postal_code", "4460"), ("city", None),
    ("name", {"$gt": ""}), ("website", "javascript:alert(1)"),
])
def test_invalid_fields_are_named_and_nothing_is_written(apmsl, runtime, field, value):
    r = apmsl.post("/registry/v1/structures", json={**MSP, field: value})
    assert r.status_code == 422, r.json
    assert r.mimetype == "application/problem+json"
    assert field in r.json["errors"]
    assert nothing_written(runtime)


def test_unknown_fields_and_missing_ones_are_named(apmsl, runtime):
    r = apmsl.post("/registry/v1/structures", json={"kind": "MSP", "sneaky": 1})
    assert r.status_code == 422
    assert {"sneaky", "name", "city", "department"} <= set(r.json["errors"])
    assert nothing_written(runtime)


@pytest.mark.parametrize("body,content_type", [
    ("{not json", "application/json"), ("", "application/json"), ("[1, 2]", "application/json"),
    ("null", "application/json"),
])
def test_malformed_bodies_are_client_errors(apmsl, runtime, body, content_type):
    r = apmsl.post("/registry/v1/structures", data=body, headers={"Content-Type": content_type})
    assert r.status_code in (400, 422), r.json
    assert r.mimetype == "application/problem+json"
    assert "Traceback" not in r.get_data(as_text=True)
    assert nothing_written(runtime)


def test_a_huge_body_is_refused(apmsl, runtime):
    r = apmsl.post("/registry/v1/structures", data="{" + " " * (2 * 1024 * 1024) + "}",
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.mimetype == "application/problem+json"
    assert nothing_written(runtime)


@pytest.mark.parametrize("query", [
    "department[$ne]=44", "status=ouverte", "kind=msp", "page=0", "per_page=1000", "q=" + "a" * 500,
    "department=%7B%22%24gt%22%3A%22%22%7D", "unknown=1", "page=abc",
])
def test_bad_filters_are_422_naming_the_parameter(apmsl, query):
    r = apmsl.get(f"/registry/v1/structures?{query}")
    assert r.status_code == 422, (query, r.json)
    assert r.mimetype == "application/problem+json" and r.json["errors"]


def test_text_search_ignores_case_and_accents_and_matches_word_prefixes(apmsl):
    create(apmsl, name="Pôle Santé Clisson", city="Clisson")
    create(apmsl, name="MSP de Baugé en Anjou", city="Baugé-en-Anjou", department="49")
    names = lambda q: [s["name"] for s in apmsl.get(f"/registry/v1/structures?q={q}").json["items"]]  # noqa: E731
    assert names("sante clis") == ["Pôle Santé Clisson"]
    assert names("BAUGE") == ["MSP de Baugé en Anjou"]
    assert apmsl.get("/registry/v1/structures?q=(.*)").status_code == 422


def test_lists_are_paginated_in_name_order(apmsl):
    for name in ["MSP Charlie", "MSP Alpha", "MSP Bravo"]:
        create(apmsl, name=name)
    page = apmsl.get("/registry/v1/structures?per_page=2&page=2").json
    assert page["total"] == 3 and [s["name"] for s in page["items"]] == ["MSP Charlie"]


def test_another_federation_sees_nothing_and_changes_nothing(apmsl, femage, api, runtime):
    s = create(apmsl)
    assert femage.get(f"/registry/v1/structures/{s['id']}").status_code == 404
    assert femage.get("/registry/v1/structures").json["total"] == 0
    assert femage.get("/registry/v1/structures?federation=apmsl").json["total"] == 0
    r = femage.patch(f"/registry/v1/structures/{s['id']}", json={"name": "Pris"})
    assert r.status_code == 404
    assert runtime("registry").db.structures.find_one({"_id": s["id"]})["name"] == MSP["name"]
    national = api("registry").as_user(None, ["national"])
    assert national.get("/registry/v1/structures?federation=apmsl").json["total"] == 1
    assert national.patch(f"/registry/v1/structures/{s['id']}", json={"name": "XY"}).status_code == 403


def test_a_member_reads_but_cannot_write_and_a_missing_token_is_401(api, apmsl):
    s = create(apmsl)
    member = api("registry").as_user("apmsl", ["member"])
    assert member.get(f"/registry/v1/structures/{s['id']}").status_code == 200
    assert member.patch(f"/registry/v1/structures/{s['id']}", json={"name": "XY"}).status_code == 403
    assert member.post("/registry/v1/structures", json=MSP).status_code == 403
    anonymous = api("registry").anonymous()
    r = anonymous.get("/registry/v1/structures")
    assert r.status_code == 401 and r.mimetype == "application/problem+json"
    bad = anonymous.get("/registry/v1/structures", headers={"Authorization": "Bearer not.a.jwt"})
    assert bad.status_code == 401


def test_an_update_with_a_stale_etag_is_412_and_loses_nothing(apmsl):
    s = create(apmsl)
    etag_v1 = apmsl.get(f"/registry/v1/structures/{s['id']}").headers["ETag"]
    first = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"phone": "02 40 00 00 01"},
                        headers={"If-Match": etag_v1})
    assert first.status_code == 200 and first.headers["ETag"] != etag_v1
    stale = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"phone": "02 40 99 99 99"},
                        headers={"If-Match": etag_v1})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert apmsl.get(f"/registry/v1/structures/{s['id']}").json["phone"] == "02 40 00 00 01"


def test_a_patch_that_changes_nothing_publishes_nothing(apmsl, runtime):
    s = create(apmsl)
    outbox = OutboxCapture(runtime("registry"))
    r = apmsl.patch(f"/registry/v1/structures/{s['id']}", json={"name": MSP["name"]})
    assert r.status_code == 200 and r.json["version"] == 1
    assert outbox.events == []


def test_unknown_ids_and_routes_are_problem_404s(apmsl):
    for path in ["/registry/v1/structures/nope", "/registry/v1/nothing-here"]:
        r = apmsl.get(path)
        assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = apmsl.delete("/registry/v1/structures")
    assert r.status_code == 405 and r.mimetype == "application/problem+json"
