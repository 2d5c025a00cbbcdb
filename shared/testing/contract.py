"""Contract checks: a published envelope must match its message in the AsyncAPI document."""
from __future__ import annotations

import functools

import jsonschema

from shared.asyncapi import build
from shared.config import Settings


@functools.lru_cache(maxsize=1)
def _document() -> dict:
    return build(Settings())


def message_schema(event_type: str) -> dict:
    doc = _document()
    for message in doc["components"]["messages"].values():
        if message["name"] == event_type:
            # Refs are `#/components/schemas/X`: keep `components` at the root so they resolve.
            return {**message["payload"], "components": doc["components"]}
    raise AssertionError(f"{event_type} is not documented in the AsyncAPI document")


def assert_matches_asyncapi(envelope: dict) -> None:
    schema = message_schema(envelope["type"])
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(envelope), key=lambda e: list(e.path))
    if errors:
        details = "; ".join(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors[:10])
        raise AssertionError(f"{envelope['type']} does not match docs/asyncapi.yaml: {details}")
