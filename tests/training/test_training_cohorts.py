"""Cohort lifecycle, validation and completion."""
from __future__ import annotations

from shared.testing import OutboxCapture
from training_kit import days_ago


def test_a_cohort_is_numbered_after_the_last_promotion_of_its_programme(training):
    programme = training.programme()
    first = training.cohort(programme["id"], number=7)
    second = training.cohort(programme["id"])
    assert (first["number"], second["number"]) == (7, 8)
    dup = training.staff().post("/training/v1/cohorts", json={"programme_id": programme["id"], "number": 8,
                                                               "city": "Lyon", "seats": 20})
    assert dup.status_code == 409 and "number" in dup.json["errors"]


def test_cohort_dates_must_make_sense(training):
    programme = training.programme()
    r = training.staff().post("/training/v1/cohorts", json={
        "programme_id": programme["id"], "city": "Lyon", "seats": 20, "starts_on": "2025-06-19",
        "ends_on": "2025-01-01"})
    assert r.status_code == 409 and "ends_on" in r.json["errors"]
    r = training.staff().post("/training/v1/cohorts", json={
        "programme_id": programme["id"], "city": "Lyon", "seats": 20, "starts_on": "2025-06-19",
        "applications_close_on": "2025-07-01"})
    assert r.status_code == 409 and "applications_close_on" in r.json["errors"]


def test_a_cohort_cannot_skip_its_selection(training):
    cohort = training.cohort()
    staff = training.staff()
    r = staff.post(f"/training/v1/cohorts/{cohort['id']}/start")
    assert r.status_code == 409 and "status" in r.json["errors"]
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-applications")
    r = staff.post(f"/training/v1/cohorts/{cohort['id']}/close-selection")
    assert r.status_code == 409 and "committee" in r.json["errors"]
    training.committee(cohort["id"])
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-selection")
    r = staff.post(f"/training/v1/cohorts/{cohort['id']}/start")
    assert r.status_code == 409 and "apprenant" in r.json["detail"]


def test_a_cancelled_cohort_tells_its_applicants_and_learners(training):
    cohort, apps, people = training.selected_cohort(seats=1, applicants=2)
    outbox = OutboxCapture(training.rt)
    cancelled = training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/cancel",
                                 {"reason": "Financement ARS non reconduit"})
    assert cancelled["status"] == "cancelled"
    data = outbox.of("training.cohort.cancelled.v1")[0]["data"]
    assert {p["id"] for p in data["people"]} == set(people) and data["reason"] == "Financement ARS non reconduit"
    r = training.staff().patch(f"/training/v1/cohorts/{cohort['id']}", json={"seats": 30})
    assert r.status_code == 409


def test_completion_certifies_the_validated_and_marks_the_others_not_validated(training):
    cohort, apps, _ = training.selected_cohort(seats=3, applicants=3)
    staff = training.staff()
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/start")
    validated, failed, gone = (training.learner_of(a["id"]) for a in apps)
    early = staff.post(f"/training/v1/learners/{validated}/certificate")
    assert early.status_code == 409 and "livrables" in early.json["detail"]
    for lid, outcome in ((validated, "passed"), (failed, "failed")):
        for name in ("Projet de santé", "Mémoire"):
            training.post_ok(staff, f"/training/v1/learners/{lid}/deliverables",
                             {"name": name, "received_on": days_ago(5)})
        assert staff.put(f"/training/v1/learners/{lid}/defence",
                         json={"date": days_ago(2), "outcome": outcome}).status_code == 200
    training.post_ok(staff, f"/training/v1/learners/{gone}/withdraw", {"reason": "Congé maternité"})
    outbox = OutboxCapture(training.rt)
    completed = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/complete")
    assert completed["status"] == "completed"
    assert staff.get(f"/training/v1/learners/{validated}").json["status"] == "certified"
    assert staff.get(f"/training/v1/learners/{failed}").json["status"] == "not_validated"
    data = outbox.of("training.cohort.completed.v1")[0]["data"]
    assert (data["certified"], data["not_validated"], data["withdrawn"], data["learners"]) == (1, 1, 1, 3)
    assert len(outbox.of("training.learner.certified.v1")) == 1
    stats = staff.get("/training/v1/stats").json
    assert stats["completion_rate"] == round(1 / 3, 4)
    row = next(r for r in stats["trained"] if r["certified"])
    assert row["programme"] == "pacte-msp" and row["certified"] == 1


def test_a_learner_sees_their_own_record_and_nobody_elses(training):
    cohort, apps, people = training.selected_cohort(seats=2, applicants=2)
    mine, theirs = training.learner_of(apps[0]["id"]), training.learner_of(apps[1]["id"])
    me = training.as_person(people[0])
    assert me.get(f"/training/v1/learners/{mine}").json["person"]["id"] == people[0]
    assert me.get(f"/training/v1/learners/{theirs}").status_code == 404
    assert me.get(f"/training/v1/cohorts/{cohort['id']}/learners").status_code == 403
    assert me.post(f"/training/v1/learners/{theirs}/withdraw", json={}).status_code == 404


def test_programmes_are_changed_with_if_match(training):
    programme = training.programme()
    staff = training.staff()
    r = staff.patch(f"/training/v1/programmes/{programme['id']}", json={"absence_threshold": 5},
                    headers={"If-Match": '"nope-1"'})
    assert r.status_code == 412
    etag = staff.get(f"/training/v1/programmes/{programme['id']}").headers["ETag"]
    r = staff.patch(f"/training/v1/programmes/{programme['id']}", json={"absence_threshold": 5},
                    headers={"If-Match": etag})
    assert r.status_code == 200 and r.json["absence_threshold"] == 5 and r.json["version"] == 2
    listed = staff.get("/training/v1/programmes", query_string={"code": "pacte-msp"}).json
    assert listed["total"] == 1


def test_applications_close_by_themselves_once_the_closing_date_has_passed(training):
    from services.training.worker import close_due_applications

    due = training.cohort(applications_close_on=days_ago(41))
    later = training.cohort(applications_close_on=days_ago(-5), starts_on=days_ago(-6))
    assert close_due_applications(training.rt.db, training.rt.settings) == 1
    staff = training.staff()
    assert staff.get(f"/training/v1/cohorts/{due['id']}").json["status"] == "selection"
    assert staff.get(f"/training/v1/cohorts/{later['id']}").json["status"] == "open"
    assert close_due_applications(training.rt.db, training.rt.settings) == 0


def test_a_certified_learner_cannot_withdraw_their_application(training):
    cohort, apps, people = training.selected_cohort(seats=1, applicants=1)
    staff = training.staff()
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/start")
    learner = training.learner_of(apps[0]["id"])
    for name in ("Projet de santé", "Mémoire"):
        training.post_ok(staff, f"/training/v1/learners/{learner}/deliverables", {"name": name,
                                                                                  "received_on": days_ago(1)})
    staff.put(f"/training/v1/learners/{learner}/defence", json={"date": days_ago(1), "outcome": "passed"})
    training.post_ok(staff, f"/training/v1/learners/{learner}/certificate", status=201)
    r = training.as_person(people[0]).post(f"/training/v1/applications/{apps[0]['id']}/withdraw", json={})
    assert r.status_code == 409 and "certified" in r.json["detail"]
    again = staff.post(f"/training/v1/learners/{learner}/certificate")
    assert again.status_code == 409
