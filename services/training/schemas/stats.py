"""The figures a federation reports."""
from marshmallow import Schema, fields, validate

from services.training.schemas.common import Federation, Id, Strict


class StatsQuery(Strict):
    federation = Federation()
    year = fields.Int(validate=validate.Range(min=2000, max=2100))
    programme_id = Id()


class TrainedRow(Schema):
    programme = fields.Str()
    programme_name = fields.Str()
    year = fields.Int()
    learners = fields.Int()
    certified = fields.Int()


class CohortFigures(Schema):
    cohort_id = fields.Str()
    cohort = fields.Str()
    programme = fields.Str()
    status = fields.Str()
    seats = fields.Int()
    applications = fields.Int()
    learners = fields.Int()
    certified = fields.Int()
    completion_rate = fields.Float(allow_none=True)
    attendance_rate = fields.Float(allow_none=True)
    withdrawn = fields.Int(metadata={"description": "Learners who withdrew"})
    applications_withdrawn = fields.Int(metadata={"description": "Applications withdrawn before selection"})
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)


class Totals(Schema):
    cohorts = fields.Int()
    learners = fields.Int()
    withdrawn = fields.Int()
    applications_withdrawn = fields.Int()
    certified = fields.Int(metadata={"description": "Certificates issued"})


class Stats(Schema):
    trained = fields.List(fields.Nested(TrainedRow))
    cohorts = fields.List(fields.Nested(CohortFigures), metadata={"description": "Cohorts running in `year`"})
    totals = fields.Nested(Totals)
    completion_rate = fields.Float(allow_none=True)
    attendance_rate = fields.Float(allow_none=True)
