"""Cohorts (promotions), their committee and status history."""
from marshmallow import Schema, fields, validate

from services.training import rules
from services.training.schemas.common import Federation, Id, Strict, Text, Trainer, TrainerIn
from services.training.events import CohortData
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine


class CohortWrite(Strict):
    number = fields.Int(validate=validate.Range(min=1, max=1000),
                        metadata={"description": "Promotion number (default: next one)"})
    name = SingleLine(validate=validate.Length(min=2, max=200))
    city = Text(120, required=True)
    department = fields.Str(validate=validate.Regexp(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$",
                                                     error="Ce n'est pas un code INSEE de département."), allow_none=True)
    seats = fields.Int(required=True, validate=validate.Range(min=1, max=200))
    trainers = fields.List(fields.Nested(TrainerIn), validate=validate.Length(max=20))
    applications_close_on = fields.Date(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    absence_threshold = fields.Int(validate=validate.Range(min=1, max=50))
    legacy_learners = fields.Int(validate=validate.Range(min=0, max=200), allow_none=True,
                                 metadata={"description": "Learners trained before Maillage (no names), for figures"})
    legacy_applications = fields.Int(validate=validate.Range(min=0, max=1000), allow_none=True,
                                     metadata={"description": "Applications received before Maillage, for figures"})


class CohortCreate(CohortWrite):
    programme_id = Id(required=True)


class CohortPatch(CohortWrite):
    """Loaded with partial=True."""


class CommitteeMember(Strict):
    name = fields.Str(required=True, validate=validate.Length(min=2, max=120))
    body = fields.Str(required=True, validate=validate.OneOf(rules.COMMITTEE_BODIES),
                      metadata={"description": "federation or ars"})
    role = fields.Str(validate=validate.Length(max=120), allow_none=True)


class CommitteeIn(Strict):
    sat_on = fields.Date(required=True)
    members = fields.List(fields.Nested(CommitteeMember), required=True, validate=validate.Length(min=2, max=20))


class Committee(Schema):
    sat_on = fields.Date()
    members = fields.List(fields.Nested(CommitteeMember))


class ProgrammeRef(Schema):
    id = fields.Str()
    code = fields.Str()
    name = fields.Str()


class StatusChange(Schema):
    from_ = fields.Str(data_key="from", attribute="from", allow_none=True)
    to = fields.Str()
    at = fields.AwareDateTime()
    by = fields.Str()


class Cohort(CohortData):
    """A cohort: what training publishes of it (`training.cohort.*` events), its seats, committee and history."""
    programme_id = fields.Str(required=True)
    programme = fields.Nested(ProgrammeRef)
    trainers = fields.List(fields.Nested(Trainer))
    taken = fields.Int(metadata={"description": "Seats held by learners"})
    absence_threshold = fields.Int()
    legacy_learners = fields.Int(allow_none=True)
    legacy_applications = fields.Int(allow_none=True)
    status_history = fields.List(fields.Nested(StatusChange))
    committee = fields.Nested(Committee, allow_none=True)
    selection_closed_at = fields.AwareDateTime(allow_none=True)
    cancellation_reason = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()

CohortPage = page_schema(Cohort, "CohortPage")


class CohortQuery(PageArgs):
    programme_id = Id()
    status = fields.Str(validate=validate.OneOf(rules.COHORT_STATUSES))
    city = fields.Str(validate=validate.Length(max=120))
    federation = Federation()
