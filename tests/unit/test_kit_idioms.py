"""The idioms every service takes from the kit: errors, clock, when a role is active."""
import datetime as dt

import pytest

from shared import clock
from shared.errors import Forbidden, Invalid, NotFound, PreconditionFailed, RuleBroken
from shared.http.auth import Principal
from shared.roles import active_roles, role_active_on

D = dt.date


def test_a_role_is_active_from_its_start_day_included_to_its_end_day_excluded():
    role = {"start_on": D(2026, 1, 5), "end_on": D(2026, 3, 1)}
    assert not role_active_on(role, D(2026, 1, 4))
    assert role_active_on(role, D(2026, 1, 5))
    assert role_active_on(role, D(2026, 2, 28))
    assert not role_active_on(role, D(2026, 3, 1))


def test_an_open_role_is_active_and_dates_may_come_as_strings_or_datetimes():
    assert role_active_on({"start_on": "2025-09-01", "end_on": None}, D(2026, 12, 2))
    assert role_active_on({}, D(2026, 12, 2))
    ended = {"start_on": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), "end_on": "2026-12-02"}
    assert active_roles([ended, {"start_on": "2026-12-02"}], D(2026, 12, 2)) == [{"start_on": "2026-12-02"}]


def test_the_clock_can_be_frozen_by_tests_and_runs_again_after():
    moment = dt.datetime(2026, 6, 18, 9, 30, tzinfo=dt.timezone.utc)
    with clock.frozen_at(moment):
        assert clock.now() == moment and clock.today() == D(2026, 6, 18)
        assert clock.wall_now() > moment  # leases and holds keep running meanwhile
    assert clock.now() > moment
    with pytest.raises(ValueError):
        with clock.frozen_at(dt.datetime(2026, 6, 18)):
            pass


@pytest.mark.parametrize("error, status, title", [
    (Invalid("x", field="f"), 422, "Données invalides"), (RuleBroken("x"), 409, "Règle métier non respectée"),
    (Forbidden("x"), 403, "Accès refusé"), (NotFound("structure"), 404, "Introuvable"),
    (PreconditionFailed(), 412, "Modifié entre-temps")])
def test_each_error_of_the_family_has_its_status_and_title(error, status, title):
    assert (int(error.status), error.title) == (status, title)


def test_not_found_names_what_was_not_found():
    assert NotFound("structure").detail == "Structure introuvable."
    assert NotFound("local group").detail == "Groupe local introuvable."


def test_only_staff_of_the_federation_itself_manage_it():
    staff = Principal("s", "apmsl", frozenset({"staff"}))
    assert staff.manages("apmsl") and not staff.manages("femage")
    assert not Principal("n", None, frozenset({"national"})).manages("apmsl")
    assert not Principal("c", "apmsl", frozenset({"coordinator"})).manages("apmsl")
