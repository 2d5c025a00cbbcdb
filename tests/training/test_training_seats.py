"""Seats are never exceeded, also under concurrency; a freed seat goes to the first of the reserve list."""
from __future__ import annotations

import threading

from services.training import cohorts, learners
from services.training.store import COHORTS, LEARNERS
from shared.http.auth import Principal
from shared.testing import OutboxCapture

STAFF = Principal("staff-1", "femasaura", frozenset({"staff"}))


def _enrolled(training, cohort_id):
    return list(training.rt.db[LEARNERS].find({"cohort_id": cohort_id, "status": "enrolled"}))


def test_accepted_applicants_beyond_the_seats_form_a_reserve_list_in_rank_order(training):
    cohort, apps, _ = training.selected_cohort(seats=2, applicants=5)
    staff = training.staff()
    reserve = staff.get(f"/training/v1/cohorts/{cohort['id']}/reserve").json
    assert [a["id"] for a in reserve] == [a["id"] for a in apps[2:]]
    assert [a["reserve_rank"] for a in reserve] == [1, 2, 3]
    assert {ln["application_id"] for ln in _enrolled(training, cohort["id"])} == {apps[0]["id"], apps[1]["id"]}
    assert staff.get(f"/training/v1/cohorts/{cohort['id']}").json["taken"] == 2


def test_a_withdrawing_learner_is_replaced_by_the_first_of_the_reserve_list(training):
    cohort, apps, people = training.selected_cohort(seats=2, applicants=4)
    outbox = OutboxCapture(training.rt)
    learner_id = training.learner_of(apps[0]["id"])
    r = training.as_person(people[0]).post(f"/training/v1/learners/{learner_id}/withdraw",
                                           json={"reason": "Départ de la structure"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "withdrawn"

    seated = {ln["application_id"] for ln in _enrolled(training, cohort["id"])}
    assert seated == {apps[1]["id"], apps[2]["id"]}  # apps[2] was first on the reserve list
    promoted = training.staff().get(f"/training/v1/applications/{apps[2]['id']}").json
    assert promoted["placement"] == "learner" and promoted["reserve_rank"] is None
    reserve = training.staff().get(f"/training/v1/cohorts/{cohort['id']}/reserve").json
    assert [a["id"] for a in reserve] == [apps[3]["id"]]

    withdrawn = outbox.of("training.learner.withdrawn.v1")[0]["data"]
    enrolled = outbox.of("training.learner.enrolled.v1")[0]["data"]
    assert enrolled["from_reserve"] is True and enrolled["application_id"] == apps[2]["id"]
    assert withdrawn["promoted_learner_id"] == enrolled["id"]
    assert withdrawn["reason"] == "Départ de la structure"


def test_withdrawing_a_seated_application_frees_the_seat_for_the_reserve_too(training):
    cohort, apps, people = training.selected_cohort(seats=1, applicants=3)
    r = training.as_person(people[0]).post(f"/training/v1/applications/{apps[0]['id']}/withdraw", json={})
    assert r.status_code == 200, r.json
    assert [ln["application_id"] for ln in _enrolled(training, cohort["id"])] == [apps[1]["id"]]


def test_a_reserve_applicant_who_withdraws_leaves_the_list_and_the_next_moves_up(training):
    cohort, apps, people = training.selected_cohort(seats=1, applicants=3)
    training.post_ok(training.as_person(people[1]), f"/training/v1/applications/{apps[1]['id']}/withdraw")
    learner_id = training.learner_of(apps[0]["id"])
    training.post_ok(training.staff(), f"/training/v1/learners/{learner_id}/withdraw")
    assert [ln["application_id"] for ln in _enrolled(training, cohort["id"])] == [apps[2]["id"]]


def test_more_seats_promote_the_reserve_list(training):
    cohort, apps, _ = training.selected_cohort(seats=1, applicants=3)
    staff = training.staff()
    r = staff.patch(f"/training/v1/cohorts/{cohort['id']}", json={"seats": 2})
    assert r.status_code == 200, r.json
    assert r.json["taken"] == 2
    assert {ln["application_id"] for ln in _enrolled(training, cohort["id"])} == {apps[0]["id"], apps[1]["id"]}
    r = staff.patch(f"/training/v1/cohorts/{cohort['id']}", json={"seats": 1})
    assert r.status_code == 409 and "seats" in r.json["errors"]


def test_concurrent_withdrawals_never_exceed_the_seats_and_promote_in_rank_order(training):
    cohort, apps, _ = training.selected_cohort(seats=3, applicants=9)
    seated = [ln["_id"] for ln in _enrolled(training, cohort["id"])]
    errors = []

    def leave(learner_id):
        try:
            learners.withdraw_learner(training.rt.db, STAFF, learner_id, "concurrence")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=leave, args=(lid,)) for lid in seated]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    now_seated = _enrolled(training, cohort["id"])
    assert len(now_seated) == 3
    assert {ln["application_id"] for ln in now_seated} == {a["id"] for a in apps[3:6]}
    assert training.rt.db[COHORTS].find_one({"_id": cohort["id"]})["taken"] == 3


def test_closing_the_selection_twice_at_once_seats_the_learners_once(training):
    cohort = training.cohort(seats=2)
    apps = [training.apply(cohort["id"], *training.coordinator()) for _ in range(4)]
    training.committee(cohort["id"])
    for a in apps:
        training.decide(a["id"], "accepted")
    training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/close-applications")
    outcomes = []

    def close():
        try:
            cohorts.close_selection(training.rt.db, STAFF, cohort["id"])
            outcomes.append("closed")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
    threads = [threading.Thread(target=close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("closed") == 1, outcomes
    assert len(_enrolled(training, cohort["id"])) == 2
    assert training.rt.db[COHORTS].find_one({"_id": cohort["id"]})["taken"] == 2
