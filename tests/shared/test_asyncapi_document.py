"""docs/asyncapi.yaml is the public contract: it must be what the catalogs say, and valid."""
from pathlib import Path

import yaml

from shared.asyncapi import render
from shared.config import Settings
from shared.runtime import SERVICE_NAMES, ServiceRuntime

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_the_committed_document_is_up_to_date_with_the_event_catalogs():
    assert DOC.read_text(encoding="utf-8") == render(Settings()), \
        "docs/asyncapi.yaml is stale: run `make asyncapi`"


def test_every_event_type_of_every_service_is_documented_with_its_channel():
    doc = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    documented = {m["name"] for m in doc["components"]["messages"].values()}
    for service in SERVICE_NAMES:
        for event_type in ServiceRuntime(service, Settings()).catalog().types.values():
            assert event_type.type in documented
            assert event_type.routing_key in doc["channels"]


def test_every_message_has_a_unique_message_id():
    doc = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    ids = [message.get("messageId") for message in doc["components"]["messages"].values()]
    assert all(ids) and len(ids) == len(set(ids))
    assert doc["id"].startswith("urn:") and {tag["name"] for tag in doc["tags"]} == set(SERVICE_NAMES)
