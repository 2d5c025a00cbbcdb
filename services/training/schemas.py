"""HTTP shapes of training (marshmallow); flask-smorest builds the OpenAPI from them."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.training import rules
from shared.http.pagination import PageArgs, page_schema
from shared.references import known_id_description as known
from shared.http.text import SingleLine

KINDS = ("MSP", "CPTS", "CDS", "ESP")
Id = lambda **kw: fields.Str(validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{1,64}$", error="Not an id."), **kw)  # noqa: E731
Text = lambda n, **kw: SingleLine(validate=validate.Length(min=1, max=n), **kw)  # noqa: E731  (names, titles: one line)
Federation = lambda: fields.Str(validate=validate.Regexp(r"^[a-z0-9-]{2,40}$"),  # noqa: E731
                                metadata={"description": "National roles only; others see their own federation"})


class Strict(Schema):
    class Meta:
        unknown = RAISE


# --- programmes -----------------------------------------------------------------------------------------

class Theme(Strict):
    theme = Text(120, required=True)
    description = fields.Str(validate=validate.Length(max=500), allow_none=True)


class ProgrammeWrite(Strict):
    code = fields.Str(validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,39}$", error="Lower case letters, digits, dashes."))
    name = Text(120, required=True)
    full_name = SingleLine(validate=validate.Length(max=300), allow_none=True)
    audience = fields.Str(validate=validate.Length(max=300), allow_none=True)
    structure_kinds = fields.List(fields.Str(validate=validate.OneOf(KINDS)), validate=validate.Length(max=4),
                                  metadata={"description": "Who may apply: coordinators of these kinds (empty: any)"})
    certification = fields.Str(validate=validate.Length(max=200), allow_none=True,
                               metadata={"description": "e.g. diplôme de l'EHESP"})
    seminar_themes = fields.List(fields.Nested(Theme), validate=validate.Length(max=30))
    required_deliverables = fields.List(Text(120), validate=validate.Length(max=20),
                                        metadata={"description": "Documents a learner must hand in to be validated"})
    days_per_seminar = fields.Int(validate=validate.Range(min=1, max=5))
    absence_threshold = fields.Int(validate=validate.Range(min=1, max=50),
                                   metadata={"description": "Unexcused absent half-days before a warning"})


class ProgrammePatch(ProgrammeWrite):
    """Loaded with partial=True."""


class Programme(Schema):
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
    code = fields.Str(required=True)
    name = fields.Str(required=True)
    full_name = fields.Str(allow_none=True)
    audience = fields.Str(allow_none=True)
    structure_kinds = fields.List(fields.Str())
    certification = fields.Str(allow_none=True)
    seminar_themes = fields.List(fields.Nested(Theme))
    required_deliverables = fields.List(fields.Str())
    days_per_seminar = fields.Int(allow_none=True)
    absence_threshold = fields.Int(allow_none=True)
    version = fields.Int(required=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


ProgrammePage = page_schema(Programme, "ProgrammePage")


class ProgrammeQuery(PageArgs):
    code = fields.Str(validate=validate.Length(max=40))
    federation = Federation()


# --- cohorts --------------------------------------------------------------------------------------------

class TrainerIn(Strict):
    person_id = Id(allow_none=True, metadata={"description": "Registry person id (lets them record attendance). "
                                                             + known("a registry person")})
    name = SingleLine(validate=validate.Length(min=2, max=120), allow_none=True)

    @validates_schema
    def _one(self, data, **_):
        if not data.get("person_id") and not data.get("name"):
            raise ValidationError("Give the trainer's person_id or name.", "person_id")


class CohortWrite(Strict):
    number = fields.Int(validate=validate.Range(min=1, max=1000),
                        metadata={"description": "Promotion number (default: next one)"})
    name = SingleLine(validate=validate.Length(min=2, max=200))
    city = Text(120, required=True)
    department = fields.Str(validate=validate.Regexp(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$",
                                                     error="Not a French department INSEE code."), allow_none=True)
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


class Trainer(Schema):
    person_id = fields.Str(allow_none=True)
    name = fields.Str()


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


class Cohort(Schema):
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
    programme_id = fields.Str(required=True)
    programme = fields.Nested(ProgrammeRef)
    number = fields.Int(required=True)
    name = fields.Str(required=True)
    city = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)
    seats = fields.Int(required=True)
    taken = fields.Int(metadata={"description": "Seats held by learners"})
    trainers = fields.List(fields.Nested(Trainer))
    applications_close_on = fields.Date(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    absence_threshold = fields.Int()
    legacy_learners = fields.Int(allow_none=True)
    legacy_applications = fields.Int(allow_none=True)
    status = fields.Str(required=True)
    status_history = fields.List(fields.Nested(StatusChange))
    committee = fields.Nested(Committee, allow_none=True)
    selection_closed_at = fields.AwareDateTime(allow_none=True)
    cancellation_reason = fields.Str(allow_none=True)
    version = fields.Int(required=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


CohortPage = page_schema(Cohort, "CohortPage")


class CohortQuery(PageArgs):
    programme_id = Id()
    status = fields.Str(validate=validate.OneOf(rules.COHORT_STATUSES))
    city = fields.Str(validate=validate.Length(max=120))
    federation = Federation()


class ReasonIn(Strict):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=2000))


class OptionalReasonIn(Strict):
    reason = fields.Str(validate=validate.Length(max=2000), allow_none=True)


# --- applications ---------------------------------------------------------------------------------------

class ApplicationIn(Strict):
    structure_id = Id(required=True, metadata={"description": "The structure the applicant coordinates. "
                                                               + known("a structure")})
    motivation = fields.Str(required=True, validate=validate.Length(min=20, max=5000))
    person_id = Id(metadata={"description": "Staff only, filing for someone; coordinators apply for themself. "
                                            + known("a registry person")})


class PersonRef(Schema):
    id = fields.Str()
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    may_email = fields.Bool()


class StructureRef(Schema):
    id = fields.Str()
    name = fields.Str(allow_none=True)
    kind = fields.Str(allow_none=True)
    city = fields.Str(allow_none=True)


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
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
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
    version = fields.Int(required=True)


ApplicationPage = page_schema(Application, "ApplicationPage")


class ApplicationQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.APPLICATION_STATUSES))
    placement = fields.Str(validate=validate.OneOf(("learner", "reserve", "withdrawn")))
    cohort_id = Id()
    federation = Federation()


class CohortApplicationQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.APPLICATION_STATUSES))
    placement = fields.Str(validate=validate.OneOf(("learner", "reserve", "withdrawn")))


class ScoreIn(Strict):
    member = fields.Str(required=True, validate=validate.Length(min=2, max=120),
                        metadata={"description": "Name of a committee member"})
    score = fields.Float(required=True, validate=validate.Range(min=0, max=rules.SCORE_MAX))
    comment = fields.Str(validate=validate.Length(max=2000), allow_none=True)


class DecisionIn(Strict):
    decision = fields.Str(required=True, validate=validate.OneOf(rules.DECISIONS))
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=2000))


# --- learners -------------------------------------------------------------------------------------------

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
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
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
    version = fields.Int(required=True)


LearnerPage = page_schema(Learner, "LearnerPage")


class LearnerQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.LEARNER_STATUSES))


# --- seminars -------------------------------------------------------------------------------------------

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
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
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
    version = fields.Int(required=True)


SeminarPage = page_schema(Seminar, "SeminarPage")


class SeminarQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.SEMINAR_STATUSES))


class AttendanceRecordIn(Strict):
    learner_id = Id(required=True)
    half_day = fields.Str(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}-\d{2}:(am|pm)$",
                                                                  error="A half-day is `YYYY-MM-DD:am` or `:pm`."))
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


# --- certificates & stats -------------------------------------------------------------------------------

class Certificate(Schema):
    code = fields.Str(required=True)
    valid = fields.Bool(required=True)
    holder_name = fields.Str(allow_none=True)
    programme = fields.Str(required=True)
    certification = fields.Str(allow_none=True)
    cohort = fields.Str(required=True)
    issued_on = fields.Date(required=True)


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


class Stats(Schema):
    trained = fields.List(fields.Nested(TrainedRow))
    cohorts = fields.List(fields.Nested(CohortFigures))
    completion_rate = fields.Float(allow_none=True)
    attendance_rate = fields.Float(allow_none=True)
