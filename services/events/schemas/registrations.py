"""Registrations: register, cancel, approve / reject, check-in; what a registration shows."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.events import rules
from services.events.schemas.common import Id, Strict, VenueOut
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine
from shared.references import known_id_description as known
from shared.http.schema_fields import DocumentId, FederationOf, VersionOf


class Guest(Strict):
    first_name = SingleLine(required=True, validate=validate.Length(min=1, max=100))
    last_name = SingleLine(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    organization = SingleLine(validate=validate.Length(max=200), allow_none=True)


class RegistrationCreate(Strict):
    person_id = Id(metadata={"description": "Staff only: a registry person; without it you register yourself. "
                                            + known("a registry person")})
    guest = fields.Nested(Guest, metadata={"description": "Staff only: an outside guest (name + e-mail)"})
    note = fields.Str(validate=validate.Length(max=500), allow_none=True)

    @validates_schema
    def _one(self, data, **_):
        if data.get("person_id") and data.get("guest"):
            raise ValidationError("Indiquez un person_id ou un invité (guest), pas les deux.", "guest")


class Reason(Strict):
    reason = fields.Str(validate=validate.Length(min=1, max=500), allow_none=True)


class Attendance(Strict):
    status = fields.Str(required=True, validate=validate.OneOf((rules.ATTENDED, rules.ABSENT)))


class HistoryEntry(Schema):
    status = fields.Str(required=True)
    at = fields.AwareDateTime(required=True)
    by = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)


class RegisteredEvent(Schema):
    """The event a registration is for (in `GET /v1/me/registrations`)."""
    id = DocumentId()
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    timezone = fields.Str(required=True)
    format = fields.Str(required=True)
    venue = fields.Nested(VenueOut, allow_none=True)
    video_link = fields.Str(allow_none=True)
    status = fields.Str(required=True)


class Registration(Schema):
    id = DocumentId()
    event_id = fields.Str(required=True)
    federation = FederationOf()
    person_id = fields.Str(allow_none=True)
    guest = fields.Bool(required=True)
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    organization = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    waitlist_position = fields.Int(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntry))
    event = fields.Nested(RegisteredEvent, metadata={"description": "In your own list only"})
    version = VersionOf()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


RegistrationPage = page_schema(Registration, "RegistrationPage")


class RegistrationQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.REGISTRATION_STATUSES))
