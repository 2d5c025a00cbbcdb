"""Applications, the committee's scores and decisions."""
from marshmallow import Schema, fields, validate

from services.training import rules
from services.training.schemas.common import Federation, Id, PersonRef, Strict, StructureRef, known
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import FederationOf, RefId, VersionOf


class ApplicationIn(Strict):
    structure_id = Id(required=True, metadata={"description": "The structure the applicant coordinates. "
                                                               + known("a structure")})
    motivation = fields.Str(required=True, validate=validate.Length(min=20, max=5000))
    person_id = Id(metadata={"description": "Staff only, filing for someone; coordinators apply for themself. "
                                            + known("a registry person")})


class Score(Schema):
    member = fields.Str()
    body = fields.Str()
    score = fields.Float()
    comment = fields.Str(allow_none=True)
    recorded_by = fields.Str()
    at = fields.AwareDateTime()


class Decision(Schema):
    decision = fields.Str()
    reason = fields.Str()
    by = fields.Str()
    at = fields.AwareDateTime()
    score = fields.Float(allow_none=True)
    committee = fields.List(fields.Dict())


class Application(Schema):
    id = RefId()
    federation = FederationOf()
    cohort_id = fields.Str(required=True)
    person = fields.Nested(PersonRef)
    structure = fields.Nested(StructureRef, allow_none=True)
    motivation = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    submitted_at = fields.AwareDateTime()
    scores = fields.List(fields.Nested(Score))
    score = fields.Float(allow_none=True)
    decisions = fields.List(fields.Nested(Decision))
    placement = fields.Str(allow_none=True, metadata={"description": "learner, reserve or withdrawn once selected"})
    reserve_rank = fields.Int(allow_none=True)
    learner_id = fields.Str(allow_none=True)
    version = VersionOf()


ApplicationPage = page_schema(Application, "ApplicationPage")


class CohortApplicationQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.APPLICATION_STATUSES))
    placement = fields.Str(validate=validate.OneOf(("learner", "reserve", "withdrawn")))


class ApplicationQuery(CohortApplicationQuery):
    cohort_id = Id()
    federation = Federation()


class ScoreIn(Strict):
    member = fields.Str(required=True, validate=validate.Length(min=2, max=120),
                        metadata={"description": "Name of a committee member"})
    score = fields.Float(required=True, validate=validate.Range(min=0, max=rules.SCORE_MAX))
    comment = fields.Str(validate=validate.Length(max=2000), allow_none=True)


class DecisionIn(Strict):
    decision = fields.Str(required=True, validate=validate.OneOf(rules.DECISIONS))
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=2000))
