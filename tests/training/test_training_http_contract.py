"""Every endpoint: invalid input → 422 problem+json naming the field; roles; federation isolation;
and every published event matches the AsyncAPI document."""
from __future__ import annotations

import pytest

from services.training.events import catalog
from shared.testing import OutboxCapture
from shared.testing.contract import assert_matches_asyncapi
from training_kit import days_ago


@pytest.fixture
def world(training):
    """A running cohort with a learner, a reserve applicant, a seminar, and a trainer."""
    cohort, apps, people, trainer = training.running_cohort(seats=1, applicants=2)
    seminar = training.seminar(cohort["id"], 8, theme="Prise de poste")
    other = training.cohort(number=20)
    return {"cohort": cohort["id"], "open_cohort": other["id"], "programme": cohort["programme_id"],
            "application": apps[1]["id"], "learner": training.learner_of(apps[0]["id"]), "seminar": seminar["id"],
            "half_day": seminar["half_days"][0], "trainer": trainer, "person": people[0]}


# (method, path, a body whose `field` is wrong, field, roles allowed to reach the use case)
STAFF = ("admin", "staff")
ENDPOINTS = [
    ("POST", "/training/v1/programmes", {"name": "X" * 500}, "name", STAFF),
    ("PATCH", "/training/v1/programmes/{programme}", {"structure_kinds": ["HOPITAL"]}, "structure_kinds", STAFF),
    ("POST", "/training/v1/cohorts", {"programme_id": "{programme}", "city": "Lyon", "seats": 0}, "seats", STAFF),
    ("PATCH", "/training/v1/cohorts/{cohort}", {"seats": "vingt"}, "seats", STAFF),
    ("POST", "/training/v1/cohorts/{open_cohort}/committee", {"sat_on": "2024-02-30", "members": []}, "sat_on",
     STAFF),
    ("POST", "/training/v1/cohorts/{cohort}/cancel", {"reason": ""}, "reason", STAFF),
    ("POST", "/training/v1/cohorts/{open_cohort}/applications", {"structure_id": "s", "motivation": "court"},
     "motivation", ("coordinator",) + STAFF),
    ("POST", "/training/v1/cohorts/{cohort}/seminars", {"theme": "Projet de santé", "starts_on": "demain",
                                                       "ends_on": "2024-01-01", "place": {"city": "Lyon"}},
     "starts_on", STAFF),
    ("POST", "/training/v1/applications/{application}/scores", {"member": "Claire Dupont", "score": 21}, "score",
     STAFF),
    ("POST", "/training/v1/applications/{application}/decision", {"decision": "peut-être", "reason": "x" * 5},
     "decision", STAFF),
    ("POST", "/training/v1/applications/{application}/withdraw", {"motif": "x"}, "motif", None),
    ("POST", "/training/v1/learners/{learner}/withdraw", {"reason": 3}, "reason", None),
    ("POST", "/training/v1/learners/{learner}/deliverables", {"name": "Mémoire"}, "received_on",
     STAFF + ("trainer",)),
    ("PUT", "/training/v1/learners/{learner}/defence", {"date": "2024-11-01", "outcome": "bof"}, "outcome",
     STAFF + ("trainer",)),
    ("PATCH", "/training/v1/seminars/{seminar}", {"place": {"city": ""}}, "place", STAFF),
    ("POST", "/training/v1/seminars/{seminar}/cancel", {}, "reason", STAFF),
    ("PUT", "/training/v1/seminars/{seminar}/attendance",
     {"records": [{"learner_id": "{learner}", "half_day": "matin", "status": "present"}]}, "records",
     STAFF + ("trainer",)),
]
VALID = {  # a valid body per endpoint, so that the role check is what answers
    "/training/v1/programmes": {"name": "Formation gouvernance CPTS"},
    "/training/v1/programmes/{programme}": {"days_per_seminar": 1},
    "/training/v1/cohorts": {"programme_id": "{programme}", "city": "Lyon", "seats": 20},
    "/training/v1/cohorts/{cohort}": {"seats": 25},
    "/training/v1/cohorts/{open_cohort}/committee": {"sat_on": "2024-03-01", "members": [
        {"name": "Claire Dupont", "body": "federation"}, {"name": "Marc Lefèvre", "body": "ars"}]},
    "/training/v1/cohorts/{cohort}/cancel": {"reason": "Essai"},
    "/training/v1/cohorts/{open_cohort}/applications": {"structure_id": "s-1",
                                                        "motivation": "Je souhaite me former au métier."},
    "/training/v1/cohorts/{cohort}/seminars": {"theme": "Projet de santé", "starts_on": "2024-01-01",
                                               "ends_on": "2024-01-02", "place": {"city": "Lyon"}},
    "/training/v1/applications/{application}/scores": {"member": "Claire Dupont", "score": 12},
    "/training/v1/applications/{application}/decision": {"decision": "accepted", "reason": "Bon dossier"},
    "/training/v1/applications/{application}/withdraw": {"reason": "Changement de poste"},
    "/training/v1/learners/{learner}/withdraw": {"reason": "Changement de poste"},
    "/training/v1/learners/{learner}/deliverables": {"name": "Mémoire", "received_on": "2024-10-01"},
    "/training/v1/learners/{learner}/defence": {"date": "2024-11-01", "outcome": "passed"},
    "/training/v1/seminars/{seminar}": {"place": {"city": "Grenoble"}},
    "/training/v1/seminars/{seminar}/cancel": {"reason": "Essai"},
    "/training/v1/seminars/{seminar}/attendance": {"records": [{"learner_id": "{learner}", "half_day": "{half_day}",
                                                                "status": "present"}]},
}
ACTIONS = [  # no body
    ("POST", "/training/v1/cohorts/{open_cohort}/close-applications", STAFF),
    ("POST", "/training/v1/cohorts/{open_cohort}/close-selection", STAFF),
    ("POST", "/training/v1/cohorts/{open_cohort}/start", STAFF),
    ("POST", "/training/v1/cohorts/{cohort}/complete", STAFF),
    ("POST", "/training/v1/learners/{learner}/certificate", STAFF),
]
READS = [
    "/training/v1/programmes/{programme}", "/training/v1/cohorts/{cohort}", "/training/v1/cohorts/{cohort}/reserve",
    "/training/v1/cohorts/{cohort}/learners", "/training/v1/cohorts/{cohort}/seminars",
    "/training/v1/cohorts/{cohort}/applications", "/training/v1/applications/{application}",
    "/training/v1/learners/{learner}", "/training/v1/seminars/{seminar}", "/training/v1/seminars/{seminar}/attendance",
]
LISTS = ["/training/v1/programmes", "/training/v1/cohorts", "/training/v1/applications", "/training/v1/stats"]


def _fill(value, world):
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _call(client, method, path, body=None):
    return client._call(method, path, json=body)


@pytest.mark.parametrize("method,path,body,field,_", ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS])
def test_invalid_input_is_a_422_problem_naming_the_field(training, world, method, path, body, field, _):
    r = _call(training.staff(), method, _fill(path, world), _fill(body, world))
    assert r.status_code == 422, r.json
    assert r.mimetype == "application/problem+json"
    assert field in r.json["errors"], r.json
    unknown = _call(training.staff(), method, _fill(path, world), {**_fill(body, world), "$where": "1"})
    assert unknown.status_code == 422 and "$where" in unknown.json["errors"]


@pytest.mark.parametrize("method,path", [(m, p) for m, p, *_ in ENDPOINTS])
def test_malformed_json_is_a_400_problem(training, world, method, path):
    r = training.staff().client.open(_fill(path, world), method=method, data="{not json",
                                     headers={**training.staff().headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"


ROLE_CASES = [(m, p, roles) for m, p, _, _, roles in ENDPOINTS if roles] + ACTIONS


@pytest.mark.parametrize("method,path,roles", ROLE_CASES, ids=[f"{m} {p}" for m, p, _ in ROLE_CASES])
def test_roles_that_may_not_do_it_get_a_403(training, world, method, path, roles):
    for role in {"coordinator", "trainer", "member", "staff"} - set(roles):
        body = _fill(VALID.get(path), world)
        r = _call(training.api.as_user("femasaura", [role], sub=world["person"]), method, _fill(path, world), body)
        assert r.status_code == 403, (role, r.status_code, r.json)
        assert r.mimetype == "application/problem+json"


def test_no_token_is_a_401_and_a_bad_token_too(training, world):
    for path in READS + LISTS:
        assert training.api.anonymous().get(_fill(path, world)).status_code == 401, path
    bad = training.api.anonymous().get("/training/v1/cohorts", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_another_federations_data_does_not_exist_for_you(training, world):
    outsider = training.api.as_user("apmsl", ["admin"])
    for path in READS:
        r = outsider.get(_fill(path, world))
        assert r.status_code == 404, (path, r.status_code)
    for method, path, *_ in ENDPOINTS:
        if path == "/training/v1/programmes":  # creates in the caller's own federation
            continue
        r = _call(outsider, method, _fill(path, world), _fill(VALID[path], world))
        if path == "/training/v1/cohorts":  # an id in the body: refused as unknown, naming it
            assert r.status_code == 422 and list(r.json["errors"]) == ["programme_id"], r.json
            continue
        assert r.status_code == 404, (path, r.status_code, r.json)
    for method, path, _ in ACTIONS:
        assert _call(outsider, method, _fill(path, world)).status_code == 404, path
    for path in LISTS[:-1]:
        assert outsider.get(path).json["total"] == 0, path
    assert outsider.get("/training/v1/stats").json["cohorts"] == []
    assert outsider.get("/training/v1/cohorts", query_string={"federation": "femasaura"}).json["total"] == 0


def test_a_national_role_reads_across_federations_but_writes_nothing(training, world):
    national = training.api.as_user(None, ["national"])
    for path in READS:
        assert national.get(_fill(path, world)).status_code == 200, path
    assert national.get("/training/v1/cohorts", query_string={"federation": "femasaura"}).json["total"] == 2
    assert national.get("/training/v1/stats").json["cohorts"]
    r = national.patch(_fill("/training/v1/cohorts/{cohort}", world), json={"seats": 3})
    assert r.status_code == 403


@pytest.mark.parametrize("query", [{"status": "ouvert"}, {"per_page": 1000}, {"status[$ne]": "open"},
                                   {"programme_id": "a" * 300}, {"federation": "../x"}])
def test_bad_filters_are_a_422(training, world, query):
    r = training.staff().get("/training/v1/cohorts", query_string=query)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"


def test_every_published_event_type_matches_the_asyncapi_document(training):
    """One run publishing all of training's event types; each envelope validated against the contract."""
    outbox = OutboxCapture(training.rt)
    trainer = training.person(role="facilitator")
    cohort, apps, people = training.selected_cohort(seats=1, applicants=3, trainers=[trainer])
    staff = training.staff()
    training.post_ok(training.as_person(people[2]), f"/training/v1/applications/{apps[2]['id']}/withdraw")
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/start")
    learner = training.learner_of(apps[0]["id"])
    seminar = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Prise de poste", "starts_on": days_ago(8), "ends_on": days_ago(5), "place": {"city": "Lyon"}},
        status=201)
    staff.patch(f"/training/v1/seminars/{seminar['id']}", json={"place": {"city": "Grenoble"}})
    spare = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Démarche qualité", "starts_on": days_ago(-9), "ends_on": days_ago(-10), "place": {"city": "Lyon"}},
        status=201)
    training.post_ok(staff, f"/training/v1/seminars/{spare['id']}/cancel", {"reason": "Salle indisponible"})
    half_days = training.staff().get(f"/training/v1/seminars/{seminar['id']}").json["half_days"]
    training.as_person(trainer, ["trainer"]).put(f"/training/v1/seminars/{seminar['id']}/attendance", json={
        "records": [{"learner_id": learner, "half_day": hd, "status": "absent"} for hd in half_days]})
    training.post_ok(staff, f"/training/v1/learners/{learner}/withdraw", {"reason": "Départ"})
    promoted = training.learner_of(apps[1]["id"])
    for name in ("Projet de santé", "Mémoire"):
        training.post_ok(staff, f"/training/v1/learners/{promoted}/deliverables", {"name": name,
                                                                                   "received_on": days_ago(1)})
    staff.put(f"/training/v1/learners/{promoted}/defence", json={"date": days_ago(1), "outcome": "passed"})
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/complete")
    doomed = training.cohort(number=30)
    training.post_ok(staff, f"/training/v1/cohorts/{doomed['id']}/cancel", {"reason": "Pas assez de candidats"})

    published = outbox.events
    assert {e["type"] for e in published} == set(catalog.types)
    for envelope in published:
        assert_matches_asyncapi(envelope)
        assert envelope["federation"] == "femasaura" and envelope["source"] == "/training"


LIST_QUERIES = [
    ("/training/v1/programmes", {"code": "x" * 100}, "code"),
    ("/training/v1/cohorts", {"status": "ouvert"}, "status"),
    ("/training/v1/applications", {"placement": "ailleurs"}, "placement"),
    ("/training/v1/cohorts/{cohort}/applications", {"status": "peut-être"}, "status"),
    ("/training/v1/cohorts/{cohort}/learners", {"status": "diplômé"}, "status"),
    ("/training/v1/cohorts/{cohort}/seminars", {"page": 0}, "page"),
    ("/training/v1/stats", {"year": 1900}, "year"),
]


@pytest.mark.parametrize("path,query,field", LIST_QUERIES, ids=[p for p, *_ in LIST_QUERIES])
def test_every_list_checks_its_filters_and_names_the_wrong_one(training, world, path, query, field):
    r = training.staff().get(_fill(path, world), query_string=query)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert field in r.json["errors"], r.json
    typo = training.staff().get(_fill(path, world), query_string={"statut": "open"})
    assert typo.status_code == 422 and "statut" in typo.json["errors"]
