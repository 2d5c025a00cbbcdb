"""Learners and their validation (deliverables, defence)."""
from marshmallow import Schema, fields, validate

from services.training import rules
from services.training.schemas.common import PersonRef, Strict, Text
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import FederationOf, RefId, VersionOf


class DeliverableIn(Strict):
    name = Text(120, required=True)
    received_on = fields.Date(required=True)


class DefenceIn(Strict):
    date = fields.Date(required=True)
    outcome = fields.Str(validate=validate.OneOf(rules.DEFENCE_OUTCOMES), load_default="pending")
    jury = fields.List(fields.Str(validate=validate.Length(min=2, max=120)), validate=validate.Length(max=10))
    comment = fields.Str(validate=validate.Length(max=2000), allow_none=True)


class Deliverable(Schema):
    name = fields.Str()
    received_on = fields.Date()


class Defence(Schema):
    date = fields.Date()
    outcome = fields.Str()
    jury = fields.List(fields.Str())
    comment = fields.Str(allow_none=True)


class Learner(Schema):
    id = RefId()
    federation = FederationOf()
    cohort_id = fields.Str(required=True)
    application_id = fields.Str(allow_none=True)
    person = fields.Nested(PersonRef)
    structure_id = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    from_reserve = fields.Bool()
    enrolled_at = fields.AwareDateTime()
    deliverables = fields.List(fields.Nested(Deliverable))
    defence = fields.Nested(Defence, allow_none=True)
    absences = fields.Int()
    absence_warned_at = fields.AwareDateTime(allow_none=True)
    certificate_code = fields.Str(allow_none=True)
    version = VersionOf()


LearnerPage = page_schema(Learner, "LearnerPage")


class LearnerQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.LEARNER_STATUSES))
