"""Seminars of a cohort, attendance per learner per half-day, and the absence warning."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shared.testing import OutboxCapture
from training_kit import days_ago


PLACE = {"name": "FemasAURA&Co", "address": "10 rue de la Santé", "city": "Lyon"}


def _running_cohort(training, seats=2):
    cohort, apps, people, trainer = training.running_cohort(seats)
    return cohort, [training.learner_of(a["id"]) for a in apps], trainer, people


def _seminar(training, cohort_id, start=20):
    return training.seminar(cohort_id, start, place=PLACE)


def _paris(day: str, hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), ZoneInfo("Europe/Paris"))


def _moments(seminar: dict) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.fromisoformat(seminar["starts_at"]), dt.datetime.fromisoformat(seminar["ends_at"])


def test_a_scheduled_seminar_tells_its_learners_where_and_when(training):
    cohort, _, trainer, people = _running_cohort(training)
    outbox = OutboxCapture(training.rt)
    seminar = _seminar(training, cohort["id"])
    assert seminar["status"] == "scheduled" and seminar["trainers"][0]["person_id"] == trainer
    data = outbox.of("training.seminar.scheduled.v1")[0]["data"]
    assert {p["id"] for p in data["learners"]} == set(people)
    assert all(p["email"] and p["may_email"] for p in data["learners"])
    assert data["cohort"]["programme"]["name"] == "PACTE MSP"
    assert data["place"] == {"name": "FemasAURA&Co", "address": "10 rue de la Santé", "city": "Lyon"}
    # Its hours are training's to say: from the first day at 9:00 to the last at 17:00, Paris time.
    assert _moments(data) == (_paris(days_ago(20), 9), _paris(days_ago(19), 17))


def test_a_seminar_theme_must_be_one_of_the_programmes(training):
    cohort, *_ = _running_cohort(training)
    r = training.staff().post(f"/training/v1/cohorts/{cohort['id']}/seminars", json={
        "theme": "Cuisine", "starts_on": days_ago(5), "ends_on": days_ago(4), "place": {"city": "Lyon"}})
    assert r.status_code == 409 and "theme" in r.json["errors"]


def test_moving_a_seminar_reschedules_it_and_says_what_it_was(training):
    cohort, *_ = _running_cohort(training)
    seminar = _seminar(training, cohort["id"])
    outbox = OutboxCapture(training.rt)
    staff = training.staff()
    etag = staff.get(f"/training/v1/seminars/{seminar['id']}").headers["ETag"]
    r = staff.patch(f"/training/v1/seminars/{seminar['id']}", json={"starts_on": days_ago(15),
                                                                     "ends_on": days_ago(14)},
                    headers={"If-Match": etag})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "rescheduled" and r.json["half_days"][0] == f"{days_ago(15)}:am"
    event = outbox.of("training.seminar.rescheduled.v1")[0]
    assert event["data"]["previous"]["starts_on"] == days_ago(20)
    assert _moments(event["data"]["previous"]) == (_paris(days_ago(20), 9), _paris(days_ago(19), 17))
    assert _moments(event["data"]) == (_paris(days_ago(15), 9), _paris(days_ago(14), 17))
    assert event["sequence"] == 2
    stale = staff.patch(f"/training/v1/seminars/{seminar['id']}", json={"theme": "Gestion de la structure"},
                        headers={"If-Match": etag})
    assert stale.status_code == 412


def test_a_cancelled_seminar_takes_no_attendance(training):
    cohort, learner_ids, trainer, _ = _running_cohort(training)
    seminar = _seminar(training, cohort["id"])
    outbox = OutboxCapture(training.rt)
    cancelled = training.post_ok(training.staff(), f"/training/v1/seminars/{seminar['id']}/cancel",
                                 {"reason": "Grève des transports"})
    assert cancelled["status"] == "cancelled"
    assert outbox.of("training.seminar.cancelled.v1")[0]["data"]["reason"] == "Grève des transports"
    r = training.as_person(trainer, ["trainer"]).put(f"/training/v1/seminars/{seminar['id']}/attendance", json={
        "records": [{"learner_id": learner_ids[0], "half_day": seminar["half_days"][0], "status": "present"}]})
    assert r.status_code == 409


def test_reaching_the_absence_threshold_warns_once(training):
    cohort, learner_ids, trainer, people = _running_cohort(training)
    as_trainer = training.as_person(trainer, ["trainer"])
    first, second = _seminar(training, cohort["id"], 30), _seminar(training, cohort["id"], 20)
    outbox = OutboxCapture(training.rt)
    absent = learner_ids[0]

    def record(seminar, statuses):
        r = as_trainer.put(f"/training/v1/seminars/{seminar['id']}/attendance", json={"records": [
            {"learner_id": absent, "half_day": hd, "status": s} for hd, s in zip(seminar["half_days"], statuses)]})
        assert r.status_code == 200, r.json
        return r.json

    # Threshold 3 (from the programme): excused and late half-days do not count.
    assert record(first, ["absent", "excused", "late", "absent"])["warned"] == []
    assert record(second, ["present", "absent", "present", "present"])["warned"] == [absent]
    assert record(second, ["present", "absent", "absent", "present"])["warned"] == []  # already past it
    warnings = outbox.of("training.learner.absence_threshold_reached.v1")
    assert len(warnings) == 1
    data = warnings[0]["data"]
    assert data["absences"] == 3 and data["threshold"] == 3 and data["person"]["id"] == people[0]
    assert data["trainers"][0]["person_id"] == trainer
    learner = training.staff().get(f"/training/v1/learners/{absent}").json
    assert learner["absences"] == 4 and learner["absence_warned_at"]


def test_attendance_only_for_half_days_of_the_seminar_that_have_happened(training):
    cohort, learner_ids, trainer, _ = _running_cohort(training)
    as_trainer = training.as_person(trainer, ["trainer"])
    past = _seminar(training, cohort["id"], 20)
    r = as_trainer.put(f"/training/v1/seminars/{past['id']}/attendance", json={
        "records": [{"learner_id": learner_ids[0], "half_day": "2001-01-01:am", "status": "present"}]})
    assert r.status_code == 409 and "records" in r.json["errors"]
    future = training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Démarche qualité", "starts_on": days_ago(-30), "ends_on": days_ago(-31),
        "place": {"city": "Lyon"}}, status=201)
    r = as_trainer.put(f"/training/v1/seminars/{future['id']}/attendance", json={
        "records": [{"learner_id": learner_ids[0], "half_day": future["half_days"][0], "status": "present"}]})
    assert r.status_code == 409
    r = as_trainer.put(f"/training/v1/seminars/{past['id']}/attendance", json={
        "records": [{"learner_id": "not-a-learner", "half_day": past["half_days"][0], "status": "present"}]})
    assert r.status_code == 422 and "records" in r.json["errors"]  # an id in the body that is no learner here


def test_only_the_cohorts_own_trainers_record_attendance(training):
    cohort, learner_ids, trainer, _ = _running_cohort(training)
    seminar = _seminar(training, cohort["id"])
    other_trainer = training.person(role="facilitator")
    body = {"records": [{"learner_id": learner_ids[0], "half_day": seminar["half_days"][0], "status": "present"}]}
    path = f"/training/v1/seminars/{seminar['id']}/attendance"
    assert training.as_person(other_trainer, ["trainer"]).put(path, json=body).status_code == 403
    assert training.as_person(learner_ids[0], ["coordinator"]).put(path, json=body).status_code == 403
    assert training.as_person(trainer, ["trainer"]).put(path, json=body).status_code == 200
    got = training.as_person(trainer, ["trainer"]).get(path).json
    assert got["records"][0]["status"] == "present" and got["rate"] == 1.0


def test_a_learner_promoted_later_is_told_the_seminars_still_to_come(training):
    trainer = training.person(role="facilitator")
    cohort, apps, people = training.selected_cohort(seats=1, applicants=2, trainers=[trainer])
    staff = training.staff()
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/start")
    _seminar(training, cohort["id"], 20)
    coming = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Démarche qualité", "starts_on": days_ago(-30), "ends_on": days_ago(-31),
        "place": {"city": "Annecy"}}, status=201)
    outbox = OutboxCapture(training.rt)
    training.post_ok(training.as_person(people[0]), f"/training/v1/applications/{apps[0]['id']}/withdraw")
    enrolled = outbox.of("training.learner.enrolled.v1")[0]["data"]
    assert enrolled["person"]["id"] == people[1]
    assert [s["id"] for s in enrolled["seminars"]] == [coming["id"]]
    assert enrolled["seminars"][0]["place"]["city"] == "Annecy"
    assert _moments(enrolled["seminars"][0]) == (_paris(days_ago(-30), 9), _paris(days_ago(-31), 17))
