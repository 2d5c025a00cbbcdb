"""The pure rules of training: no Flask, Mongo or RabbitMQ."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from services.training import rules


@pytest.mark.parametrize("current,target", [("open", "selection"), ("selection", "in_progress"),
                                            ("in_progress", "completed"), ("open", "cancelled"),
                                            ("selection", "cancelled"), ("in_progress", "cancelled")])
def test_a_cohort_moves_forward_or_is_cancelled(current, target):
    rules.check_cohort_transition(current, target)


@pytest.mark.parametrize("current,target", [("open", "in_progress"), ("open", "completed"),
                                            ("selection", "open"), ("completed", "cancelled"),
                                            ("cancelled", "open"), ("in_progress", "selection")])
def test_a_cohort_never_skips_a_step_nor_goes_back(current, target):
    with pytest.raises(rules.RuleBroken) as exc:
        rules.check_cohort_transition(current, target)
    assert exc.value.field == "status"


@pytest.mark.parametrize("current,target", [("submitted", "shortlisted"), ("submitted", "accepted"),
                                            ("shortlisted", "rejected"), ("accepted", "withdrawn"),
                                            ("submitted", "withdrawn")])
def test_application_decisions_that_are_allowed(current, target):
    rules.check_application_transition(current, target)


@pytest.mark.parametrize("current,target", [("rejected", "accepted"), ("withdrawn", "submitted"),
                                            ("accepted", "rejected"), ("accepted", "shortlisted"),
                                            ("withdrawn", "withdrawn")])
def test_application_decisions_that_are_final(current, target):
    with pytest.raises(rules.RuleBroken):
        rules.check_application_transition(current, target)


def test_the_committee_must_include_the_federation_and_the_ars():
    rules.check_committee([{"name": "A", "body": "federation"}, {"name": "B", "body": "ars"}])
    with pytest.raises(rules.RuleBroken, match="ars"):
        rules.check_committee([{"name": "A", "body": "federation"}, {"name": "C", "body": "federation"}])


def test_an_applications_score_is_the_mean_of_each_members_latest_score():
    scores = [{"member": "A", "score": 10}, {"member": "B", "score": 14}, {"member": "A", "score": 16}]
    assert rules.mean_score(scores) == 15
    assert rules.mean_score([]) is None


def _app(i, score, day):
    return {"_id": f"a{i}", "score": score, "submitted_at": dt.datetime(2024, 1, day)}


def test_ranking_is_by_score_then_by_who_applied_first_and_unscored_last():
    apps = [_app(1, 12, 3), _app(2, None, 1), _app(3, 15, 5), _app(4, 15, 2)]
    assert [a["_id"] for a in rules.rank(apps)] == ["a4", "a3", "a1", "a2"]


def test_allocation_gives_the_seats_in_rank_order_and_the_rest_is_the_reserve_list():
    apps = [_app(i, 10 + i, 1) for i in range(5)]
    allocation = rules.allocate(apps, 3)
    assert [a["_id"] for a in allocation.learners] == ["a4", "a3", "a2"]
    assert [a["_id"] for a in allocation.reserve] == ["a1", "a0"]


@given(st.lists(st.one_of(st.none(), st.floats(0, 20)), max_size=30), st.integers(-2, 40))
def test_allocation_never_exceeds_the_seats_and_loses_nobody(scores, seats):
    apps = [_app(i, s, 1 + i % 28) for i, s in enumerate(scores)]
    allocation = rules.allocate(apps, seats)
    assert len(allocation.learners) <= max(seats, 0)
    assert sorted(a["_id"] for a in allocation.learners + allocation.reserve) == sorted(a["_id"] for a in apps)


def test_a_two_day_seminar_has_four_half_days():
    assert rules.half_days(dt.date(2024, 6, 20), dt.date(2024, 6, 21)) == [
        "2024-06-20:am", "2024-06-20:pm", "2024-06-21:am", "2024-06-21:pm"]


def test_seminar_dates_are_ordered_and_short():
    with pytest.raises(rules.RuleBroken, match="finir avant"):
        rules.check_seminar_dates(dt.date(2024, 6, 21), dt.date(2024, 6, 20))
    with pytest.raises(rules.RuleBroken, match="au plus"):
        rules.check_seminar_dates(dt.date(2024, 6, 1), dt.date(2024, 6, 30))


def test_only_unexcused_absences_count_and_the_threshold_fires_once_when_reached():
    assert rules.unexcused_absences(["absent", "excused", "late", "absent", "present"]) == 2
    assert rules.crossed_threshold(2, 3, 3)
    assert rules.crossed_threshold(1, 4, 3)
    assert not rules.crossed_threshold(3, 4, 3)
    assert not rules.crossed_threshold(1, 2, 3)


def test_attendance_rate_counts_late_as_attended_and_leaves_excused_out():
    assert rules.attendance_rate(["present", "late", "absent", "excused"]) == round(2 / 3, 4)
    assert rules.attendance_rate(["excused"]) is None


def test_a_learner_is_validated_with_every_deliverable_and_a_passed_defence():
    learner = {"status": "enrolled", "deliverables": [{"name": "Mémoire"}], "defence": {"outcome": "passed"}}
    assert rules.validation_gaps(learner, ["Mémoire"]) == []
    assert rules.validation_gaps(learner, ["Mémoire", "Projet de santé"]) == [
        "livrables non reçus : Projet de santé"]
    assert rules.validation_gaps({**learner, "defence": {"outcome": "failed"}}, []) == ["la soutenance n'est pas validée"]
    assert rules.validation_gaps({**learner, "status": "withdrawn"}, ["Mémoire"]) == ["l'apprenant est au statut `withdrawn`"]


def test_certificate_codes_tell_the_programme_and_are_hard_to_guess():
    import re
    codes = {rules.certificate_code("pacte-msp") for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(rules.CODE_PATTERN, c) and c.startswith("PACTEMSP-") for c in codes)
    assert rules.certificate_code("x", "ABCDEFGHJKLM") == "X-ABCD-EFGH-JKLM"


def test_a_promotion_started_in_2023_and_running_in_2024_trained_in_both_years():
    assert rules.years_between(dt.date(2023, 9, 1), None, dt.date(2024, 11, 1)) == [2023, 2024]
    assert rules.years_between(dt.date(2023, 9, 1), dt.date(2024, 6, 30), dt.date(2026, 1, 1)) == [2023, 2024]
    assert rules.years_between(None, None, dt.date(2024, 1, 1)) == []


def test_a_seminar_runs_from_nine_to_five_paris_time_whatever_the_season():
    utc = dt.timezone.utc
    assert rules.seminar_times(dt.date(2024, 6, 20), dt.date(2024, 6, 21)) == (
        dt.datetime(2024, 6, 20, 7, tzinfo=utc), dt.datetime(2024, 6, 21, 15, tzinfo=utc))
    assert rules.seminar_times(dt.date(2024, 12, 5), dt.date(2024, 12, 5)) == (
        dt.datetime(2024, 12, 5, 8, tzinfo=utc), dt.datetime(2024, 12, 5, 16, tzinfo=utc))


def test_only_a_current_coordinator_of_the_structure_counts():
    today = dt.date(2024, 6, 1)
    person = {"roles": [{"structure_id": "s1", "role": "coordinator", "start_on": "2020-01-01", "end_on": None},
                        {"structure_id": "s2", "role": "coordinator", "start_on": "2020-01-01",
                         "end_on": "2023-12-31"},
                        {"structure_id": "s3", "role": "professional", "start_on": "2020-01-01", "end_on": None}]}
    assert rules.coordinates(person, "s1", today)
    assert not rules.coordinates(person, "s2", today)
    assert not rules.coordinates(person, "s3", today)
    # shared.roles: the end date is the first day the role is no longer held (it used to be the last held).
    ending = {"roles": [{"structure_id": "s1", "role": "coordinator", "start_on": "2020-01-01", "end_on": "2024-06-01"}]}
    assert not rules.coordinates(ending, "s1", today)
    assert rules.coordinates(ending, "s1", today - dt.timedelta(days=1))
    assert not rules.coordinates({"roles": [{**ending["roles"][0], "start_on": "2024-06-02", "end_on": None}]},
                                 "s1", today)
