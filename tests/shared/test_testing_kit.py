"""The test kit's envelope builders follow the producer's own catalog."""
import pytest

from shared.bus.envelope import validate_envelope
from shared.testing.envelopes import PublishedBy, publish


def test_an_envelope_built_from_the_registry_catalog_is_what_the_registry_would_publish():
    env = PublishedBy("registry").event("registry.structure.registered.v1", {
        "id": "s1", "federation": "apmsl", "kind": "MSP", "name": "MSP de Clisson", "city": "Clisson",
        "department": "44", "status": "projet"}, sequence=1)
    assert validate_envelope(env)["source"] == "/registry"
    assert env["subject"] == "s1" and env["data"]["name"] == "MSP de Clisson"


def test_a_type_the_producer_does_not_publish_is_refused():
    with pytest.raises(KeyError, match="registry publishes no"):
        PublishedBy("registry").event("registry.nothing.happened.v1", {})


def test_publish_puts_the_envelope_on_the_exchange(settings, capture):
    cap = capture("registry.#")
    env = PublishedBy("registry").event("registry.structure.registered.v1", {"id": "s2", "kind": "CPTS",
                                                                             "name": "CPTS Sud 44"})
    publish(settings, env)
    assert cap.wait_for("registry.structure.registered.v1")["id"] == env["id"]
