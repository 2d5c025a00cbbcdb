"""The public agenda: published events without personal data."""
from __future__ import annotations

from marshmallow import fields, validate

from services.events.schemas.common import Federation
from services.events.schemas.events import EventQuery, EventShown
from shared.http.pagination import page_schema


class AgendaQuery(EventQuery):
    status = fields.Str(validate=validate.OneOf(("published", "held")))
    federation = Federation()


class AgendaItem(EventShown):
    """A published event as the public agenda shows it: no personal data, no video link."""
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    starts_at_local = fields.AwareDateTime()
    ends_at_local = fields.AwareDateTime()
    local_group_name = fields.Str(allow_none=True)
    host_structure_name = fields.Str(allow_none=True)
    seats_available = fields.Int(allow_none=True)
    registration_open = fields.Bool(required=True)


AgendaPage = page_schema(AgendaItem, "AgendaPage")
