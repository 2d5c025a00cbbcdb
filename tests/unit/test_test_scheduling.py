"""`make test`'s workers: the tests that build the web console run on one worker, every other test anywhere."""
from shared.testing.fixtures import _scope_of


def test_the_web_console_tests_are_one_unit_of_work_and_every_other_test_its_own():
    web = ["tests/web/test_console_e2e.py::test_visitor_and_coordinator_journeys_in_chromium",
           "tests/web/test_console_unit.py::test_the_console_type_checks",
           "tests/shared/test_dev_server_stops.py::test_a_taken_port_is_one_line"]
    assert {_scope_of(nodeid) for nodeid in web} == {"web-console"}
    other = "tests/shared/test_dev_identity.py::test_make_dev_embeds_the_provider_and_maillage_token_as_gets_a_real_token"
    assert _scope_of(other) == other
