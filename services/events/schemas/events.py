"""Events (meetings): what a client sends to create or change one, and what it reads."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.events import rules
from services.events.schemas.common import (
    Audience, Department, Facilitation, Federation, Id, Speaker, Strict, Venue, VenueOut,
)
from services.events.events import EventData
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine
from shared.references import known_id_description as known
from shared.http.schema_fields import DocumentId, FederationOf


def _timezone(value):
    if not rules.valid_timezone(value):
        raise ValidationError("Ce n'est pas un fuseau horaire IANA (par ex. Europe/Paris).")


class EventDetails(Strict):
    """What an event and the next meeting of its series both set."""
    theme = fields.Str(validate=validate.Length(max=500), allow_none=True)
    venue = fields.Nested(Venue, allow_none=True)
    video_link = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500), allow_none=True)
    host_structure_id = Id(allow_none=True, metadata={"description": known("a structure")})
    minimum_deadline = fields.DateTime(allow_none=True, metadata={"description": "When the minimum must be reached"})
    registration_deadline = fields.DateTime(allow_none=True, metadata={"description": "Default: the start"})
    cancellation_deadline = fields.DateTime(allow_none=True, metadata={"description": "Self-cancellation until (default: the start)"})


class EventWrite(EventDetails):
    kind = fields.Str(required=True, validate=validate.OneOf(rules.KINDS))
    title = SingleLine(required=True, validate=validate.Length(min=2, max=200))
    agenda_items = fields.List(fields.Str(validate=validate.Length(min=1, max=300)), load_default=list,
                               validate=validate.Length(max=50))
    starts_at = fields.DateTime(required=True, metadata={"description": "With an offset, or a wall-clock time in `timezone`"})
    ends_at = fields.DateTime(required=True)
    timezone = fields.Str(load_default=rules.DEFAULT_TZ, validate=[validate.Length(max=60), _timezone])
    format = fields.Str(required=True, validate=validate.OneOf(rules.FORMATS))
    department = Department(allow_none=True)
    territory = Id(allow_none=True, metadata={"description": "A federation's territory (e.g. femasaura-ouest)"})
    local_group_id = Id(allow_none=True, metadata={"description": known("a local group")})
    series_id = Id(allow_none=True, metadata={"description": "An event series of the federation (named after its "
                                                              "first meeting's id); otherwise 422 naming this field"})
    audience = fields.Nested(Audience, load_default=lambda: {"local_group_ids": [], "structure_kinds": [], "roles": []})
    speakers = fields.List(fields.Nested(Speaker), load_default=list, validate=validate.Length(max=30))
    capacity = fields.Int(validate=validate.Range(min=1, max=100_000), allow_none=True)
    min_participants = fields.Int(validate=validate.Range(min=1, max=100_000), allow_none=True)
    requires_approval = fields.Bool(load_default=False)
    facilitation = fields.Nested(Facilitation, allow_none=True)
    organizer_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20),
                                metadata={"description": "Registry person ids warned by go / no-go (the creator "
                                                         "too). " + known("registry people")})


class EventCreate(EventWrite):
    federation = Federation(metadata={"description": "Defaults to the caller's federation"})


class EventPatch(EventWrite):
    """Loaded with partial=True. On a published event a time or place change is a reschedule."""


class InvitationRecord(Schema):
    audience = fields.Nested(Audience, required=True)
    at = fields.AwareDateTime(required=True)
    by = fields.Str(allow_none=True, metadata={"description": "Who sent it (token subject)"})


class Invitations(Audience):
    """Who else to invite: at least one local group, structure kind or role."""

    @validates_schema
    def _someone(self, data, **_):
        if not any(data.get(key) for key in ("local_group_ids", "structure_kinds", "roles")):
            raise ValidationError("Indiquez au moins un groupe local, un type de structure ou un rôle.", "local_group_ids")


class CancelEvent(Strict):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=500))


class NextMeeting(EventDetails):
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    title = SingleLine(validate=validate.Length(min=2, max=200))
    agenda_items = fields.List(fields.Str(validate=validate.Length(min=1, max=300)), validate=validate.Length(max=50))
    publish = fields.Bool(load_default=False, metadata={"description": "Publish it at once"})


class ReplayViews(Strict):
    views = fields.Int(required=True, validate=validate.Range(min=1, max=1_000_000),
                       metadata={"description": "Views to add to the webinar's replay count"})


class Seats(Schema):
    capacity = fields.Int(allow_none=True)
    taken = fields.Int(required=True)
    available = fields.Int(allow_none=True)
    waitlisted = fields.Int(required=True)
    awaiting = fields.Int(required=True)


class EventShown(Schema):
    """What the API and the public agenda both show of an event."""
    id = DocumentId()
    federation = FederationOf()
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    theme = fields.Str(allow_none=True)
    agenda_items = fields.List(fields.Str())
    timezone = fields.Str(required=True)
    format = fields.Str(required=True)
    venue = fields.Nested(VenueOut, allow_none=True)
    department = fields.Str(allow_none=True)
    local_group_id = fields.Str(allow_none=True)
    host_structure_id = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    capacity = fields.Int(allow_none=True)
    registration_deadline = fields.AwareDateTime(allow_none=True)


class Event(EventData):
    """An event: what the service publishes of it (`events.event.*`), its local times, seats and follow-up."""
    venue = fields.Nested(VenueOut, allow_none=True)
    audience = fields.Nested(Audience)
    speakers = fields.List(fields.Nested(Speaker))
    facilitation = fields.Nested(Facilitation, allow_none=True)
    starts_at_local = fields.AwareDateTime(metadata={"description": "In `timezone` (Europe/Paris)"})
    ends_at_local = fields.AwareDateTime()
    next_event_id = fields.Str(allow_none=True)
    previous_event_id = fields.Str(allow_none=True)
    held_at = fields.AwareDateTime(allow_none=True)
    minimum_warned_at = fields.AwareDateTime(allow_none=True)
    replay_views = fields.Int()
    reported = fields.Dict(metadata={"description": "Figures reported for past events (seeds)"})
    seats = fields.Nested(Seats)
    invitations = fields.List(fields.Nested(InvitationRecord),
                              metadata={"description": "Invitations sent after publication (`POST …/invitations`)"})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()

EventPage = page_schema(Event, "EventPage")


class EventQuery(PageArgs):
    federation = Federation(metadata={"description": "National roles only; others see their own federation"})
    kind = fields.Str(validate=validate.OneOf(rules.KINDS))
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    department = Department()
    local_group_id = Id()
    series_id = Id()
    from_ = fields.Date(data_key="from", metadata={"description": "Starting on or after this day"})
    to = fields.Date(metadata={"description": "Starting on or before this day"})

    @validates_schema
    def _range(self, data, **_):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("`to` est avant `from`.", "to")
