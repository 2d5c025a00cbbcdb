"""Every id in a training body names something of the cohort's federation that this service knows
(its copy of the registry, or its own programmes and learners); otherwise 422 naming the field."""
from __future__ import annotations

import re

PROBLEM = "application/problem+json"
T = "/training/v1"


def _refusal(r, field, *, retry=True):
    assert r.status_code == 422 and r.mimetype == PROBLEM, (r.status_code, r.json)
    assert list(r.json["errors"]) == [field], r.json
    message = r.json["errors"][field][0]
    if retry:
        assert "pas encore connu" in message and "réessayez" in message, message
    return re.sub(r"`[^`]*`", "`…`", message)


def test_a_cohort_refuses_a_trainer_of_another_federation_and_never_shows_their_name(training):
    programme = training.programme()
    outsider = training.person(federation="apmsl", role="trainer", first="Sophie", last="Lointaine")
    r = training.staff().post(f"{T}/cohorts", json={"programme_id": programme["id"], "city": "Lyon", "seats": 3,
                                                     "trainers": [{"person_id": outsider}]})
    theirs = _refusal(r, "trainers")
    assert "Lointaine" not in r.get_data(as_text=True)
    nobody = training.staff().post(f"{T}/cohorts", json={"programme_id": programme["id"], "city": "Lyon", "seats": 3,
                                                          "trainers": [{"person_id": "p-nobody", "name": "X Y"}]})
    assert _refusal(nobody, "trainers") == theirs  # the same words: nothing says the person exists elsewhere
    assert training.rt.db.cohorts.count_documents({}) == 0


def test_changing_trainers_and_seminar_trainers_is_held_to_the_same_rule(training):
    cohort = training.cohort()
    outsider = training.person(federation="apmsl", role="trainer")
    staff = training.staff()
    _refusal(staff.patch(f"{T}/cohorts/{cohort['id']}", json={"trainers": [{"person_id": outsider}]}), "trainers")
    r = staff.post(f"{T}/cohorts/{cohort['id']}/seminars", json={
        "theme": "Prise de poste", "starts_on": "2031-01-10", "ends_on": "2031-01-11", "place": {"city": "Lyon"},
        "trainers": [{"person_id": outsider}]})
    _refusal(r, "trainers")


def test_a_trainer_of_the_federation_is_named_from_the_projection(training):
    trainer = training.person(role="trainer", first="Agathe", last="Formatrice")
    cohort = training.cohort(trainers=[trainer])
    assert cohort["trainers"][0]["name"] == "Agathe Formatrice"


def test_a_cohort_of_another_federations_programme_is_refused_naming_programme_id(training):
    theirs = training.programme(federation="apmsl")
    r = training.staff().post(f"{T}/cohorts", json={"programme_id": theirs["id"], "city": "Lyon", "seats": 3})
    other = _refusal(r, "programme_id", retry=False)
    r = training.staff().post(f"{T}/cohorts", json={"programme_id": "no-such-programme", "city": "Lyon", "seats": 3})
    assert _refusal(r, "programme_id", retry=False) == other


def test_an_application_for_a_structure_of_another_federation_is_refused(training):
    cohort = training.cohort()
    pid, _ = training.coordinator()
    elsewhere = training.structure(federation="apmsl")
    body = {"structure_id": elsewhere, "motivation": "Je coordonne l'équipe depuis deux ans et souhaite me former."}
    theirs = _refusal(training.as_person(pid).post(f"{T}/cohorts/{cohort['id']}/applications", json=body),
                      "structure_id")
    body["structure_id"] = "s-nobody"
    nobodys = _refusal(training.as_person(pid).post(f"{T}/cohorts/{cohort['id']}/applications", json=body),
                       "structure_id")
    assert theirs == nobodys


def test_staff_cannot_file_an_application_for_another_federations_person(training):
    cohort = training.cohort()
    _, sid = training.coordinator()
    outsider = training.person(federation="apmsl")
    r = training.staff().post(f"{T}/cohorts/{cohort['id']}/applications", json={
        "structure_id": sid, "person_id": outsider,
        "motivation": "Je coordonne l'équipe depuis deux ans et souhaite me former."})
    _refusal(r, "person_id")


def test_the_openapi_document_says_such_ids_may_be_not_known_yet(training):
    schemas = training.api.get("/training/openapi.json").json["components"]["schemas"]
    assert "not known yet" in schemas["TrainerIn"]["properties"]["person_id"]["description"]
    assert "not known yet" in schemas["ApplicationIn"]["properties"]["structure_id"]["description"]
