"""Registry domain rules, without Flask, Mongo or RabbitMQ."""
import datetime as dt

import pytest

from services.registry import rules
from shared.errors import Forbidden, Invalid, RuleBroken
from shared.roles import role_active_on

D = dt.date


def test_a_coordinator_may_change_only_contact_data():
    rules.check_coordinator_change({"email", "phone", "website", "address"})
    with pytest.raises(Forbidden) as refused:
        rules.check_coordinator_change({"email", "status"})
    assert refused.value.field == "status"


@pytest.mark.parametrize("role,structure_id,ok", [
    ("coordinator", "s1", True), ("coordinator", None, False), ("co_gerant", "s1", True),
    ("facilitator", None, True), ("federation_staff", "s1", False),
])
def test_structure_roles_need_a_structure_and_federation_roles_none(role, structure_id, ok):
    if ok:
        rules.check_role(role, structure_id)
    else:
        with pytest.raises(Invalid) as refused:
            rules.check_role(role, structure_id)
        assert refused.value.field == "structure_id"


def test_a_role_ending_today_is_no_longer_active_and_one_starting_later_not_yet():
    """The kit's rule (start inclusive, end exclusive); the registry used to ignore the start date."""
    role = {"role": "coordinator", "start_on": D(2020, 1, 1), "end_on": None}
    assert role_active_on(role, D(2024, 5, 1))
    assert not role_active_on({**role, "end_on": D(2024, 5, 1)}, D(2024, 5, 1))
    assert role_active_on({**role, "end_on": D(2024, 5, 2)}, D(2024, 5, 1))
    assert not role_active_on({**role, "start_on": D(2024, 5, 2)}, D(2024, 5, 1))
    assert role_active_on({**role, "start_on": D(2024, 5, 1)}, D(2024, 5, 1))


def test_a_role_starting_later_is_still_open_for_duplicates_and_erasure():
    later = {"id": "r1", "role": "coordinator", "structure_id": "s1", "start_on": D(2024, 9, 1), "end_on": None}
    assert rules.role_open(later, D(2024, 5, 1)) and not role_active_on(later, D(2024, 5, 1))
    with pytest.raises(RuleBroken):
        rules.check_no_duplicate_role([later], "coordinator", "s1", D(2024, 5, 1))
    roles, ended = rules.end_active_roles([later], D(2024, 5, 1))
    assert ended and roles[0]["end_on"] == D(2024, 9, 1)


def test_a_role_cannot_end_twice_or_before_it_started():
    role = {"start_on": D(2022, 1, 1), "end_on": None}
    with pytest.raises(RuleBroken):
        rules.check_role_end(role, D(2021, 12, 31))
    with pytest.raises(RuleBroken):
        rules.check_role_end({**role, "end_on": D(2023, 1, 1)}, D(2024, 1, 1))
    rules.check_role_end(role, D(2022, 1, 1))


def test_the_same_active_role_at_the_same_structure_is_a_duplicate_but_an_ended_one_is_not():
    held = [{"role": "coordinator", "structure_id": "s1", "start_on": D(2020, 1, 1), "end_on": None}]
    with pytest.raises(RuleBroken):
        rules.check_no_duplicate_role(held, "coordinator", "s1", D(2024, 1, 1))
    rules.check_no_duplicate_role(held, "coordinator", "s2", D(2024, 1, 1))
    rules.check_no_duplicate_role([{**held[0], "end_on": D(2023, 1, 1)}], "coordinator", "s1", D(2024, 1, 1))


def test_anonymised_person_keeps_no_name_or_contact_and_roles_are_ended():
    person = {"_id": "p1", "federation": "apmsl", "version": 3, "first_name": "Léa", "last_name": "Morvan",
              "email": "lea@example.org", "phone": "0600000000", "rpps": "10101010101", "may_email": True,
              "employment_status": "employee", "weekly_coordination_hours": 10,
              "roles": [{"id": "r1", "structure_id": "s1", "role": "coordinator", "start_on": D(2020, 1, 1),
                         "end_on": None},
                        {"id": "r2", "structure_id": "s2", "role": "leader", "start_on": D(2019, 1, 1),
                         "end_on": D(2021, 1, 1)}]}
    gone = rules.anonymised(person, D(2024, 6, 1))
    text = repr(gone)
    for secret in ("Léa", "Morvan", "lea@example.org", "0600000000", "10101010101", "employee"):
        assert secret not in text
    assert gone["erased"] and gone["may_email"] is False
    assert [r["end_on"] for r in gone["roles"]] == [D(2024, 6, 1), D(2021, 1, 1)]


def test_coordinator_profile_gives_status_mix_hours_and_solo_pair_shares():
    people = [
        {"employment_status": "health_professional", "weekly_coordination_hours": 3, "coordination_mode": "solo"},
        {"employment_status": "health_professional", "weekly_coordination_hours": 35, "coordination_mode": "pair"},
        {"employment_status": "employee", "weekly_coordination_hours": 10, "coordination_mode": "solo"},
        {"employment_status": None, "weekly_coordination_hours": None, "coordination_mode": "solo"},
    ]
    profile = rules.coordinator_profile(people)
    assert profile["count"] == 4
    assert profile["status_mix"][0] == {"employment_status": "health_professional", "count": 2, "share_pct": 50.0}
    assert profile["weekly_hours"] == {"known": 3, "mean": 16.0, "min": 3, "max": 35}
    assert (profile["solo_pct"], profile["pair_pct"]) == (75.0, 25.0)


def test_coordinator_profile_of_nobody_has_no_figures():
    profile = rules.coordinator_profile([])
    assert profile["count"] == 0 and profile["weekly_hours"]["mean"] is None and profile["solo_pct"] is None


def test_growth_runs_a_total_of_created_structures_per_year():
    rows = rules.growth({2021: {"created": 2}, 2019: {"created": 1, "labellisee": 1}, 2020: {"aci": 1}})
    assert [(r["year"], r["created"], r["total"]) for r in rows] == [(2019, 1, 1), (2020, 0, 1), (2021, 2, 3)]


def test_target_progress_against_the_4000_msp_plan():
    target = {"region": "75", "region_name": "Nouvelle-Aquitaine", "federation": "avecsante-na",
              "target_count": 424, "target_date": "2026-12", "baseline_count": 300}
    progress = rules.target_progress(target, open_msp=318, projects=12)
    assert progress["progress_pct"] == 75.0 and progress["remaining"] == 106 and progress["projects"] == 12


@pytest.mark.parametrize("value,cell", [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-2", "'-2"),
                                        ("MSP", "MSP"), (None, ""), (True, "oui"), (3, "3")])
def test_csv_cells_never_run_as_spreadsheet_formulas(value, cell):
    assert rules.csv_cell(value) == cell


def test_rpps_is_eleven_digits():
    assert rules.rpps_ok("10003456789")
    assert not rules.rpps_ok("1000345678") and not rules.rpps_ok("1000345678a")
