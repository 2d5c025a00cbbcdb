"""HTTP shapes of the events service (marshmallow); flask-smorest builds the OpenAPI from them."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.events import rules
from shared.http.pagination import PageArgs, page_schema
from shared.references import known_id_description as known
from shared.http.text import SingleLine

DEPARTMENT_PATTERN = r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$"
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,80}$"


def Department(**kw):  # noqa: N802 - a field factory
    return fields.Str(validate=validate.Regexp(DEPARTMENT_PATTERN,
                                               error="Not a French department INSEE code (01…95, 2A, 2B, 971…976)."),
                      **kw)


def Id(**kw):  # noqa: N802
    return fields.Str(validate=validate.Regexp(ID_PATTERN, error="Not an identifier."), **kw)


def Federation(**kw):  # noqa: N802
    return fields.Str(validate=validate.Regexp(r"^[a-z0-9-]{2,40}$", error="Not a federation code."), **kw)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Venue(Strict):
    name = SingleLine(validate=validate.Length(max=200), allow_none=True)
    address = fields.Str(validate=validate.Length(max=300), allow_none=True)
    postal_code = fields.Str(validate=validate.Regexp(r"^[0-9]{5}$", error="Five digits."), allow_none=True)
    city = fields.Str(validate=validate.Length(max=120), allow_none=True)
    department = Department(allow_none=True)


class Speaker(Strict):
    name = SingleLine(required=True, validate=validate.Length(min=1, max=200))
    organization = fields.Str(validate=validate.Length(max=200), allow_none=True)
    topic = fields.Str(validate=validate.Length(max=300), allow_none=True)


class Audience(Strict):
    local_group_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=100),
                                  metadata={"description": known("local groups")})
    structure_kinds = fields.List(fields.Str(validate=validate.OneOf(rules.STRUCTURE_KINDS)), load_default=list)
    roles = fields.List(fields.Str(validate=validate.OneOf(rules.AUDIENCE_ROLES)), load_default=list)


class Facilitation(Strict):
    type = fields.Str(required=True, validate=validate.OneOf(rules.FACILITATION_TYPES))
    structure_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20),
                                metadata={"description": known("structures")})
    facilitator_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20),
                                  metadata={"description": known("registry people")})
    territorial_coordinator_id = Id(allow_none=True, metadata={"description": known("a registry person")})


def _timezone(value):
    if not rules.valid_timezone(value):
        raise ValidationError("Not an IANA time zone (e.g. Europe/Paris).")


class EventWrite(Strict):
    kind = fields.Str(required=True, validate=validate.OneOf(rules.KINDS))
    title = SingleLine(required=True, validate=validate.Length(min=2, max=200))
    theme = fields.Str(validate=validate.Length(max=500), allow_none=True)
    agenda_items = fields.List(fields.Str(validate=validate.Length(min=1, max=300)), load_default=list,
                               validate=validate.Length(max=50))
    starts_at = fields.DateTime(required=True, metadata={"description": "With an offset, or a wall-clock time in `timezone`"})
    ends_at = fields.DateTime(required=True)
    timezone = fields.Str(load_default=rules.DEFAULT_TZ, validate=[validate.Length(max=60), _timezone])
    format = fields.Str(required=True, validate=validate.OneOf(rules.FORMATS))
    venue = fields.Nested(Venue, allow_none=True)
    video_link = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500), allow_none=True)
    department = Department(allow_none=True)
    territory = Id(allow_none=True, metadata={"description": "A federation's territory (e.g. femasaura-ouest)"})
    local_group_id = Id(allow_none=True, metadata={"description": known("a local group")})
    series_id = Id(allow_none=True, metadata={"description": "An event series of the federation (named after its "
                                                              "first meeting's id); otherwise 422 naming this field"})
    host_structure_id = Id(allow_none=True, metadata={"description": known("a structure")})
    audience = fields.Nested(Audience, load_default=lambda: {"local_group_ids": [], "structure_kinds": [], "roles": []})
    speakers = fields.List(fields.Nested(Speaker), load_default=list, validate=validate.Length(max=30))
    capacity = fields.Int(validate=validate.Range(min=1, max=100_000), allow_none=True)
    min_participants = fields.Int(validate=validate.Range(min=1, max=100_000), allow_none=True)
    minimum_deadline = fields.DateTime(allow_none=True, metadata={"description": "When the minimum must be reached"})
    registration_deadline = fields.DateTime(allow_none=True, metadata={"description": "Default: the start"})
    cancellation_deadline = fields.DateTime(allow_none=True, metadata={"description": "Self-cancellation until (default: the start)"})
    requires_approval = fields.Bool(load_default=False)
    facilitation = fields.Nested(Facilitation, allow_none=True)
    organizer_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20),
                                metadata={"description": "Registry person ids warned by go / no-go (the creator "
                                                         "too). " + known("registry people")})


class EventCreate(EventWrite):
    federation = Federation(metadata={"description": "Defaults to the caller's federation"})


class EventPatch(EventWrite):
    """Loaded with partial=True. On a published event a time or place change is a reschedule."""


class CancelEvent(Strict):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=500))


class Empty(Strict):
    pass


class NextMeeting(Strict):
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    title = SingleLine(validate=validate.Length(min=2, max=200))
    theme = fields.Str(validate=validate.Length(max=500), allow_none=True)
    agenda_items = fields.List(fields.Str(validate=validate.Length(min=1, max=300)), validate=validate.Length(max=50))
    venue = fields.Nested(Venue, allow_none=True)
    video_link = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500), allow_none=True)
    host_structure_id = Id(allow_none=True, metadata={"description": known("a structure")})
    registration_deadline = fields.DateTime(allow_none=True)
    cancellation_deadline = fields.DateTime(allow_none=True)
    minimum_deadline = fields.DateTime(allow_none=True)
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


class VenueOut(Schema):
    name = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    postal_code = fields.Str(allow_none=True)
    city = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)


class Event(Schema):
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    theme = fields.Str(allow_none=True)
    agenda_items = fields.List(fields.Str())
    starts_at = fields.AwareDateTime(required=True, metadata={"description": "UTC"})
    ends_at = fields.AwareDateTime(required=True, metadata={"description": "UTC"})
    timezone = fields.Str(required=True)
    starts_at_local = fields.AwareDateTime(metadata={"description": "In `timezone` (Europe/Paris)"})
    ends_at_local = fields.AwareDateTime()
    format = fields.Str(required=True)
    venue = fields.Nested(VenueOut, allow_none=True)
    video_link = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)
    territory = fields.Str(allow_none=True)
    local_group_id = fields.Str(allow_none=True)
    series_id = fields.Str(allow_none=True)
    next_event_id = fields.Str(allow_none=True)
    previous_event_id = fields.Str(allow_none=True)
    host_structure_id = fields.Str(allow_none=True)
    audience = fields.Nested(Audience)
    speakers = fields.List(fields.Nested(Speaker))
    capacity = fields.Int(allow_none=True)
    min_participants = fields.Int(allow_none=True)
    minimum_deadline = fields.AwareDateTime(allow_none=True)
    registration_deadline = fields.AwareDateTime(allow_none=True)
    cancellation_deadline = fields.AwareDateTime(allow_none=True)
    requires_approval = fields.Bool()
    facilitation = fields.Nested(Facilitation, allow_none=True)
    organizer_ids = fields.List(fields.Str())
    status = fields.Str(required=True)
    cancel_reason = fields.Str(allow_none=True)
    held_at = fields.AwareDateTime(allow_none=True)
    minimum_warned_at = fields.AwareDateTime(allow_none=True)
    replay_views = fields.Int()
    reported = fields.Dict(metadata={"description": "Figures reported for past events (seeds)"})
    seats = fields.Nested(Seats)
    version = fields.Int(required=True)
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
            raise ValidationError("`to` is before `from`.", "to")


class AgendaQuery(EventQuery):
    status = fields.Str(validate=validate.OneOf(("published", "held")))
    federation = Federation()


class AgendaItem(Schema):
    """A published event as the public agenda shows it: no personal data, no video link."""
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    theme = fields.Str(allow_none=True)
    agenda_items = fields.List(fields.Str())
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    timezone = fields.Str(required=True)
    starts_at_local = fields.AwareDateTime()
    ends_at_local = fields.AwareDateTime()
    format = fields.Str(required=True)
    venue = fields.Nested(VenueOut, allow_none=True)
    department = fields.Str(allow_none=True)
    local_group_id = fields.Str(allow_none=True)
    local_group_name = fields.Str(allow_none=True)
    host_structure_id = fields.Str(allow_none=True)
    host_structure_name = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    capacity = fields.Int(allow_none=True)
    seats_available = fields.Int(allow_none=True)
    registration_open = fields.Bool(required=True)
    registration_deadline = fields.AwareDateTime(allow_none=True)


AgendaPage = page_schema(AgendaItem, "AgendaPage")


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
            raise ValidationError("Give a person_id or a guest, not both.", "guest")


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
    id = fields.Str(attribute="_id", required=True)
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
    id = fields.Str(attribute="_id", required=True)
    event_id = fields.Str(required=True)
    federation = fields.Str(required=True)
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
    version = fields.Int(required=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


RegistrationPage = page_schema(Registration, "RegistrationPage")


class RegistrationQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.REGISTRATION_STATUSES))


class StatsQuery(Strict):
    year = fields.Int(validate=validate.Range(min=2000, max=2100))
    federation = Federation(metadata={"description": "National roles only"})
    department = Department()
    territory = Id()


class Stats(Schema):
    year = fields.Int(allow_none=True)
    federation = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)
    territory = fields.Str(allow_none=True)
    totals = fields.Dict(required=True)
    events_by_kind = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    by_department = fields.List(fields.Dict(), required=True)
    by_territory = fields.List(fields.Dict(), required=True)
    local_groups = fields.List(fields.Dict(), required=True)
    facilitations = fields.List(fields.Dict(), required=True)
    cancellations = fields.List(fields.Dict(), required=True)
    reported = fields.List(fields.Dict(), metadata={"description": "Figures of the federations' activity reports"})


class GuestErase(Strict):
    email = fields.Email(required=True, validate=validate.Length(max=254),
                         metadata={"description": "The address the guest was registered with"})


class GuestErasureLink(Strict):
    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000),
                       metadata={"description": "The token of the erasure link sent in the guest's e-mails"})


class GuestErasureQuery(Schema):
    class Meta:
        unknown = RAISE

    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000))


class GuestErasurePreview(Schema):
    federation = fields.Str(required=True)
    email = fields.Str(required=True)
    registrations = fields.Int(required=True, metadata={"description": "Registrations that would be erased"})


class GuestErased(Schema):
    erased = fields.Int(required=True, metadata={"description": "Registrations purged"})
