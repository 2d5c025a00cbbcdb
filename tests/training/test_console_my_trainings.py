"""A coordinator's own trainings in the web console: cohort, programme, seminars and their own attendance per
half-day; their applications; the export of what training keeps of them; certificates checked on the console."""
from __future__ import annotations

from services.training.certificates import verification_url


def test_my_trainings_show_my_cohort_seminars_and_my_attendance_only(training):
    cohort, apps, people, trainer = training.running_cohort(seats=2)
    seminar = training.seminar(cohort["id"])
    learners = {pid: training.learner_of(a["id"]) for pid, a in zip(people, apps)}
    me, other = people
    half_days = seminar["half_days"]
    records = [{"learner_id": learners[me], "half_day": half_days[0], "status": "present"},
               {"learner_id": learners[me], "half_day": half_days[1], "status": "absent"},
               {"learner_id": learners[other], "half_day": half_days[0], "status": "absent"}]
    r = training.as_person(trainer, roles=["trainer"]).put(f"/training/v1/seminars/{seminar['id']}/attendance",
                                                           json={"records": records})
    assert r.status_code == 200, r.json
    mine = training.as_person(me).get("/training/v1/me/trainings")
    assert mine.status_code == 200, mine.json
    [item] = mine.json["items"]
    assert item["learner"]["id"] == learners[me] and item["cohort"]["id"] == cohort["id"]
    assert item["cohort"]["programme"]["name"] == "PACTE MSP" and item["certificate"] is None
    [shown] = item["seminars"]
    assert shown["theme"] == "Projet de santé"
    assert shown["my_attendance"] == {"present": [half_days[0]], "absent": [half_days[1]],
                                      "not_recorded": half_days[2:]}
    applications = training.as_person(me).get("/training/v1/applications").json["items"]
    assert [a["id"] for a in applications] == [apps[0]["id"]] and "scores" not in applications[0]


def test_someone_who_never_trained_has_an_empty_list_and_a_national_reader_has_no_own_space(training):
    pid, _ = training.coordinator()
    assert training.as_person(pid).get("/training/v1/me/trainings").json == {"items": []}
    national = training.api.as_user(None, ["national"], sub="nat")
    r = national.get("/training/v1/me/trainings")
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert training.api.anonymous().get("/training/v1/me/trainings").status_code == 401


def test_my_training_export_has_my_applications_without_scores_and_my_records(training):
    cohort, apps, people, _ = training.running_cohort(seats=1)
    export = training.as_person(people[0]).get("/training/v1/me/export")
    assert export.status_code == 200, export.json
    assert export.json["service"] == "training" and export.json["person_id"] == people[0]
    [application] = export.json["applications"]
    assert application["id"] == apps[0]["id"] and "scores" not in application
    assert [ln["cohort_id"] for ln in export.json["learners"]] == [cohort["id"]]
    assert export.json["exported_at"][:2] == "20"


def test_a_certificate_is_checked_on_the_console_page(settings):
    assert verification_url(settings, "PACTEMSP-7K2M-QX4D") == f"{settings.public_base_url}/certificats/PACTEMSP-7K2M-QX4D"
