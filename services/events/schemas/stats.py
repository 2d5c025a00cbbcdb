"""`GET /v1/stats`: the figures federations report."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.schemas.common import Department, Federation, Id, Strict


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
    totals = fields.Dict(required=True, metadata={
        "description": "`attendance_rate` divides attendance by registrations over the events where both are "
                       "known (`attendance_rate_events`)"})
    events_by_kind = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    by_department = fields.List(fields.Dict(), required=True)
    by_territory = fields.List(fields.Dict(), required=True)
    local_groups = fields.List(fields.Dict(), required=True, metadata={
        "description": "Every local group in scope: meetings held / cancelled, attendees, members invited, "
                       "`participation_rate` (null: see `rate_unavailable_reason`, in French)"})
    regional_days = fields.List(fields.Dict(), required=True,
                                metadata={"description": "Registered vs present, per regional day"})
    webinars = fields.List(fields.Dict(), required=True,
                           metadata={"description": "Participants and replay views, per webinar"})
    webinar_totals = fields.Dict(required=True)
    facilitations = fields.List(fields.Dict(), required=True, metadata={"description": "By department and type"})
    facilitations_by_territory = fields.List(fields.Dict(), required=True)
    cancellations = fields.List(fields.Dict(), required=True,
                                metadata={"description": "`lack_of_participants`: cancelled « faute de participants »"})
    reported = fields.List(fields.Dict(), metadata={"description": "Figures of the federations' activity reports"})
