"""A person's own trainings and the export of what training keeps of them."""
from __future__ import annotations

from marshmallow import Schema, fields

from services.training.schemas.learners import Learner
from services.training.schemas.seminars import Seminar

__all__ = ["MyTrainings", "MyTrainingExport"]


class MyAttendance(Schema):
    present = fields.List(fields.Str(), required=True, metadata={"description": "Half-days present (YYYY-MM-DD:am|pm)"})
    absent = fields.List(fields.Str(), required=True)
    not_recorded = fields.List(fields.Str(), required=True, metadata={"description": "Not recorded yet"})


class MySeminar(Seminar):
    my_attendance = fields.Nested(MyAttendance, required=True)


class MyProgramme(Schema):
    id = fields.Str()
    code = fields.Str()
    name = fields.Str()


class MyCohort(Schema):
    id = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    status = fields.Str(allow_none=True)
    programme = fields.Nested(MyProgramme, allow_none=True)


class MyCertificate(Schema):
    code = fields.Str(required=True)
    verification_url = fields.Str(required=True, metadata={"description": "Its page in the web console"})


class MyTraining(Schema):
    learner = fields.Nested(Learner, required=True)
    cohort = fields.Nested(MyCohort, required=True)
    seminars = fields.List(fields.Nested(MySeminar), required=True)
    certificate = fields.Nested(MyCertificate, allow_none=True)


class MyTrainings(Schema):
    items = fields.List(fields.Nested(MyTraining), required=True)


class MyTrainingExport(Schema):
    """Everything the training service keeps of the caller (GDPR, right of access)."""
    service = fields.Str(required=True)
    person_id = fields.Str(required=True)
    exported_at = fields.Str(required=True)
    applications = fields.List(fields.Dict(), required=True)
    learners = fields.List(fields.Dict(), required=True)
    attendance = fields.List(fields.Dict(), required=True)
    certificates = fields.List(fields.Dict(), required=True)
