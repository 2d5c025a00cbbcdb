"""CloudEvents 1.0 envelope (JSON structured mode) with Maillage's extensions.

`type` is the routing key plus a version suffix: `registry.structure.registered.v1`.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared import clock

CONTENT_TYPE = "application/cloudevents+json"
TYPE_PATTERN = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+\.v[0-9]+$")


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    specversion = fields.Str(required=True, validate=validate.Equal("1.0"))
    id = fields.UUID(required=True)
    source = fields.Str(required=True, validate=validate.Regexp(r"^/[a-z_]+$"))
    type = fields.Str(required=True, validate=validate.Regexp(TYPE_PATTERN))
    time = fields.AwareDateTime(required=True)
    subject = fields.Str(required=True)
    datacontenttype = fields.Str(required=True, validate=validate.Equal("application/json"))
    data = fields.Dict(required=True)
    federation = fields.Str(required=True, allow_none=True)
    correlationid = fields.Str(required=True)
    sequence = fields.Int(required=True, validate=validate.Range(min=0))


def routing_key_of(event_type: str) -> str:
    """`registry.structure.registered.v1` -> `registry.structure.registered`."""
    return event_type.rsplit(".", 1)[0]


def make_envelope(*, source: str, type: str, subject: str, data: dict, federation: str | None,
                  correlation_id: str, sequence: int, time: dt.datetime | None = None) -> dict:
    if not TYPE_PATTERN.match(type):
        raise ValueError(f"event type {type!r} must look like <service>.<aggregate>.<verb>.v<N>")
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"/{source}",
        "type": type,
        "time": (time or clock.wall_now()).isoformat(timespec="milliseconds"),
        "subject": str(subject),
        "datacontenttype": "application/json",
        "data": data,
        "federation": federation,
        "correlationid": correlation_id,
        "sequence": int(sequence),
    }


_ENVELOPE_SCHEMA = EnvelopeSchema()  # built once: validating with a shared instance is thread-safe


def validate_envelope(envelope: dict) -> dict:
    """Raises marshmallow.ValidationError when the envelope breaks the contract."""
    errors = _ENVELOPE_SCHEMA.validate(envelope)
    if errors:
        raise ValidationError(errors)
    return envelope
