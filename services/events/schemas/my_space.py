"""A member's own space: their events with their registration or decline, declines, their data export."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.schemas.common import Id, VenueOut
from shared.http.pagination import PageArgs, page_schema

__all__ = ["MyEventsQuery", "MyEventPage", "DeclineResult", "DeclinePage", "MyEventsExport"]


class MyEventsQuery(PageArgs):
    when = fields.Str(validate=validate.OneOf(("upcoming", "past")), metadata={
        "description": "upcoming: not over yet, soonest first; past: over, latest first. Without it: all, soonest "
                       "first"})
    event_id = Id(metadata={"description": "Only this event (0 or 1 item): the event page's 'am I registered?'"})


class MyEvent(Schema):
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    theme = fields.Str(allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    starts_at_local = fields.AwareDateTime()
    ends_at_local = fields.AwareDateTime()
    timezone = fields.Str(required=True)
    format = fields.Str(required=True)
    status = fields.Str(required=True)
    local_group_id = fields.Str(allow_none=True)
    venue = fields.Nested(VenueOut, allow_none=True,
                          metadata={"description": "The whole venue for a registrant with a seat; else its town"})
    video_link = fields.Str(allow_none=True, metadata={"description": "For a registrant with a seat only"})
    ical_url = fields.Str(required=True)
    page_url = fields.Str(required=True, metadata={"description": "Its page in the web console"})


class MyRegistration(Schema):
    id = fields.Str(required=True)
    status = fields.Str(required=True, metadata={
        "description": "registered, waitlisted, awaiting_approval, cancelled, rejected, attended, absent"})
    waitlist_position = fields.Int(allow_none=True, metadata={"description": "Rank on the waiting list"})
    created_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)


class MyEventItem(Schema):
    event = fields.Nested(MyEvent, required=True)
    registration = fields.Nested(MyRegistration, allow_none=True,
                                 metadata={"description": "Their latest registration for it (null: declined only)"})
    declined_at = fields.AwareDateTime(allow_none=True, metadata={"description": "When they said they would not come"})
    may_cancel = fields.Bool(required=True, metadata={"description": "They may still cancel it themselves"})


MyEventPage = page_schema(MyEventItem, "MyEventPage")


class DeclineResult(Schema):
    event_id = fields.Str(required=True)
    person_id = fields.Str(required=True)
    federation = fields.Str(required=True)
    declined_at = fields.AwareDateTime(required=True)
    cancelled_registration_id = fields.Str(allow_none=True,
                                           metadata={"description": "The registration this cancelled, if any"})


class Decline(Schema):
    person_id = fields.Str(required=True)
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    declined_at = fields.AwareDateTime(required=True)


DeclinePage = page_schema(Decline, "DeclinePage")


class MyEventsExport(Schema):
    """Everything the events service keeps of the caller (GDPR, right of access)."""
    service = fields.Str(required=True)
    person_id = fields.Str(required=True)
    exported_at = fields.AwareDateTime(required=True)
    registrations = fields.List(fields.Dict(), required=True)
    declines = fields.List(fields.Dict(), required=True)
