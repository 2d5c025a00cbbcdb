"""The public agenda: published events without personal data."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events import rules
from services.events.schemas.common import Federation, Speaker
from services.events.schemas.events import EventQuery, EventShown
from shared.http.pagination import page_schema


class AgendaQuery(EventQuery):
    status = fields.Str(validate=validate.OneOf(("published", "held")))
    federation = Federation()
    format = fields.Str(validate=validate.OneOf(rules.FORMATS),
                        metadata={"description": "in_person, video or hybrid"})
    when = fields.Str(validate=validate.OneOf(("upcoming", "past")), metadata={
        "description": "upcoming: not over yet, soonest first; past: over, latest first. "
                       "Without it: every date, soonest first"})


class PublicVenue(Schema):
    """Of a venue, the town: the address is for registrants (`/v1/me/events`)."""
    city = fields.Str()
    postal_code = fields.Str()
    department = fields.Str()


class AgendaItem(EventShown):
    """A published event as the public agenda shows it: no personal data, no address, no video link."""
    venue = fields.Nested(PublicVenue, allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    starts_at_local = fields.AwareDateTime()
    ends_at_local = fields.AwareDateTime()
    local_group_name = fields.Str(allow_none=True)
    host_structure_name = fields.Str(allow_none=True)
    seats_available = fields.Int(allow_none=True, metadata={"description": "Seats left; null: no capacity"})
    registration_open = fields.Bool(required=True)
    ical_url = fields.Str(required=True, metadata={"description": "This event as .ics (add to my calendar)"})
    page_url = fields.Str(required=True, metadata={"description": "Its page in the web console"})


class FeedUrls(Schema):
    federation = fields.Str(required=True, metadata={"description": "The organizing federation's .ics feed"})
    local_group = fields.Str(allow_none=True, metadata={"description": "Its local group's .ics feed"})


class AgendaEvent(AgendaItem):
    """An event's public page: the agenda item with its speakers and the feeds it is in."""
    speakers = fields.List(fields.Nested(Speaker), required=True)
    feed_urls = fields.Nested(FeedUrls, required=True)


class AgendaPage(page_schema(AgendaItem, "AgendaPageBase")):
    feed_url = fields.Str(allow_none=True, metadata={
        "description": "The .ics feed of what is listed: the local group's (`local_group_id=`), else the "
                       "federation's (`federation=`)"})
