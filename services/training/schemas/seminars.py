"""Seminars and attendance per half-day."""
from marshmallow import Schema, fields, validate

from services.training import rules
from services.training.schemas.common import Id, Strict, Text, Trainer, TrainerIn
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import FederationOf, RefId, VersionOf


class Place(Strict):
    name = fields.Str(validate=validate.Length(max=200), allow_none=True)
    address = fields.Str(validate=validate.Length(max=300), allow_none=True)
    city = Text(120, required=True)


class SeminarWrite(Strict):
    theme = Text(120, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    place = fields.Nested(Place, required=True)
    trainers = fields.List(fields.Nested(TrainerIn), validate=validate.Length(max=20),
                           metadata={"description": "Default: the cohort's trainers"})
    with_leaders = fields.Bool(metadata={"description": "Team leaders invited too (prise de poste)"})


class SeminarPatch(SeminarWrite):
    """Loaded with partial=True: new dates or place reschedule the seminar."""


class Seminar(Schema):
    id = RefId()
    federation = FederationOf()
    cohort_id = fields.Str(required=True)
    theme = fields.Str(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    place = fields.Nested(Place)
    trainers = fields.List(fields.Nested(Trainer))
    with_leaders = fields.Bool()
    half_days = fields.List(fields.Str())
    status = fields.Str(required=True)
    cancellation_reason = fields.Str(allow_none=True)
    version = VersionOf()


SeminarPage = page_schema(Seminar, "SeminarPage")


class SeminarQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.SEMINAR_STATUSES))


class AttendanceRecordIn(Strict):
    learner_id = Id(required=True)
    half_day = fields.Str(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}:(am|pm)$",
                                                                  error="Une demi-journée s'écrit `AAAA-MM-JJ:am` ou `:pm`."))
    status = fields.Str(required=True, validate=validate.OneOf(rules.ATTENDANCE_STATUSES))
    note = fields.Str(validate=validate.Length(max=500), allow_none=True)


class AttendanceIn(Strict):
    records = fields.List(fields.Nested(AttendanceRecordIn), required=True, validate=validate.Length(min=1, max=1000))


class AttendanceRecord(Schema):
    learner_id = fields.Str()
    half_day = fields.Str()
    status = fields.Str()
    note = fields.Str(allow_none=True)
    recorded_by = fields.Str()
    at = fields.AwareDateTime()


class Attendance(Schema):
    seminar_id = fields.Str()
    half_days = fields.List(fields.Str())
    records = fields.List(fields.Nested(AttendanceRecord))
    rate = fields.Float(allow_none=True)


class AttendanceResult(Schema):
    recorded = fields.Int()
    warned = fields.List(fields.Str(), metadata={"description": "Learners who just reached the absence threshold"})
