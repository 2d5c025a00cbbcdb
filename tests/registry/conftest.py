"""Registry test fixtures: clients per role (builders are in `registry_builders.py`)."""
import pytest


@pytest.fixture
def staff(api):
    """An admin of APMSL (Pays de la Loire)."""
    return api("registry").as_user("apmsl", ["admin"], sub="staff-apmsl")


@pytest.fixture
def other_staff(api):
    """An admin of FEMAGE (Grand Est): must see nothing of APMSL."""
    return api("registry").as_user("femage", ["admin"], sub="staff-femage")


@pytest.fixture
def national(api):
    return api("registry").as_user(None, ["national"], sub="national-reader")


@pytest.fixture
def member(api):
    return api("registry").as_user("apmsl", ["member"], sub="member-apmsl")


@pytest.fixture
def as_person(api):
    """`as_person(person_id, "coordinator")`: a token whose `sub` is that person."""
    return lambda person_id, *roles: api("registry").as_user("apmsl", list(roles) or ["coordinator"], sub=person_id)

