"""What the training service publishes (routing key = type without its version).

Events carry what a subscriber needs to act without calling training back: notifications e-mails
people from them, so they name the person (id, name, e-mail, whether they accept e-mail), the cohort
and programme, the seminar dates and place, the decision and its reason.
`sequence` is the version of the aggregate named by `subject` (cohort, application, learner, seminar).
"""
from __future__ import annotations

from marshmallow import Schema, fields

from services.training import rules
from shared.bus.catalog import EventCatalog
from shared.dates import as_date
from shared.http.schema_fields import FederationOf, RefId, VersionOf

SOURCE = "training"
catalog = EventCatalog(SOURCE)


class PersonRef(Schema):
    id = RefId()
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    may_email = fields.Bool(required=True, metadata={"description": "False: do not e-mail this person"})


class StructureRef(Schema):
    id = RefId()
    name = fields.Str(allow_none=True)
    kind = fields.Str(allow_none=True)
    city = fields.Str(allow_none=True)


class ProgrammeRef(Schema):
    id = RefId()
    code = fields.Str(required=True)
    name = fields.Str(required=True)


class TrainerRef(Schema):
    person_id = fields.Str(allow_none=True)
    name = fields.Str(required=True)
    email = fields.Str(allow_none=True)


class CohortRef(Schema):
    id = RefId()
    name = fields.Str(required=True)
    number = fields.Int(required=True)
    city = fields.Str(allow_none=True)
    programme = fields.Nested(ProgrammeRef, required=True)


class CohortData(Schema):
    id = RefId()
    federation = FederationOf()
    programme = fields.Nested(ProgrammeRef, required=True)
    number = fields.Int(required=True)
    name = fields.Str(required=True)
    city = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)
    seats = fields.Int(required=True)
    trainers = fields.List(fields.Nested(TrainerRef), required=True)
    applications_close_on = fields.Date(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    status = fields.Str(required=True, metadata={"enum": list(rules.COHORT_STATUSES)})
    version = VersionOf()


class SelectionClosedData(CohortData):
    applications = fields.Int(required=True, metadata={"description": "Applications received (withdrawn included)"})
    learners = fields.Int(required=True)
    reserve = fields.Int(required=True, metadata={"description": "Accepted applicants on the reserve list"})
    committee = fields.List(fields.Dict(), required=True, metadata={"description": "Who sat: name and body"})


class CohortStartedData(CohortData):
    learners = fields.Int(required=True)


class CohortCompletedData(CohortData):
    learners = fields.Int(required=True, metadata={"description": "Learners ever enrolled"})
    certified = fields.Int(required=True)
    not_validated = fields.Int(required=True)
    withdrawn = fields.Int(required=True)


class CohortCancelledData(CohortData):
    reason = fields.Str(required=True)
    people = fields.List(fields.Nested(PersonRef), required=True,
                         metadata={"description": "Applicants and learners to tell"})


class ApplicationData(Schema):
    id = RefId()
    federation = FederationOf()
    cohort = fields.Nested(CohortRef, required=True)
    person = fields.Nested(PersonRef, required=True)
    structure = fields.Nested(StructureRef, required=True)
    status = fields.Str(required=True, metadata={"enum": list(rules.APPLICATION_STATUSES)})
    submitted_at = fields.AwareDateTime(required=True)
    version = VersionOf()


class ApplicationDecidedData(ApplicationData):
    decision = fields.Str(required=True, metadata={"enum": list(rules.DECISIONS)})
    reason = fields.Str(required=True)
    score = fields.Float(allow_none=True)
    decided_by = fields.Str(required=True)
    decided_at = fields.AwareDateTime(required=True)
    committee = fields.List(fields.Dict(), required=True)


class ApplicationWithdrawnData(ApplicationData):
    reason = fields.Str(allow_none=True)
    withdrawn_by = fields.Str(required=True)


class LearnerData(Schema):
    id = RefId()
    federation = FederationOf()
    cohort = fields.Nested(CohortRef, required=True)
    person = fields.Nested(PersonRef, required=True)
    structure = fields.Nested(StructureRef, allow_none=True)
    application_id = fields.Str(allow_none=True)
    status = fields.Str(required=True, metadata={"enum": list(rules.LEARNER_STATUSES)})
    version = VersionOf()


class PlaceData(Schema):
    name = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    city = fields.Str(required=True)


SEMINAR_HOURS = {"description": f"When the seminar begins (its first day) or ends (its last day), UTC; its days run "
                                 f"{rules.SEMINAR_DAY[0]:%H:%M}–{rules.SEMINAR_DAY[1]:%H:%M}, {rules.SEMINAR_TIMEZONE}"}


class SeminarRef(Schema):
    id = RefId()
    theme = fields.Str(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    starts_at = fields.AwareDateTime(metadata=SEMINAR_HOURS)
    ends_at = fields.AwareDateTime(metadata=SEMINAR_HOURS)
    place = fields.Nested(PlaceData, required=True)


class LearnerEnrolledData(LearnerData):
    from_reserve = fields.Bool(required=True, metadata={"description": "Promoted from the reserve list"})
    seminars = fields.List(fields.Nested(SeminarRef), required=True,
                           metadata={"description": "The cohort's seminars not yet held (to invite the learner)"})


class LearnerWithdrawnData(LearnerData):
    reason = fields.Str(allow_none=True)
    withdrawn_by = fields.Str(required=True)
    promoted_learner_id = fields.Str(allow_none=True, metadata={"description": "Who took the seat"})


class LearnerCertifiedData(LearnerData):
    certificate_code = fields.Str(required=True)
    verification_url = fields.Str(required=True)
    issued_on = fields.Date(required=True)
    certification = fields.Str(allow_none=True, metadata={"description": "e.g. diplôme de l'EHESP"})


class AbsenceThresholdData(LearnerData):
    absences = fields.Int(required=True, metadata={"description": "Unexcused absent half-days"})
    threshold = fields.Int(required=True)
    trainers = fields.List(fields.Nested(TrainerRef), required=True)


class SeminarData(Schema):
    id = RefId()
    federation = FederationOf()
    cohort = fields.Nested(CohortRef, required=True)
    theme = fields.Str(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    starts_at = fields.AwareDateTime(metadata=SEMINAR_HOURS)
    ends_at = fields.AwareDateTime(metadata=SEMINAR_HOURS)
    place = fields.Nested(PlaceData, required=True)
    trainers = fields.List(fields.Nested(TrainerRef), required=True)
    with_leaders = fields.Bool(required=True, metadata={"description": "Team leaders are invited too"})
    status = fields.Str(required=True, metadata={"enum": list(rules.SEMINAR_STATUSES)})
    learners = fields.List(fields.Nested(PersonRef), required=True, metadata={"description": "Who to invite"})
    version = VersionOf()


class SeminarRescheduledData(SeminarData):
    previous = fields.Dict(required=True, metadata={"description": "starts_on, ends_on and place before"})


class SeminarCancelledData(SeminarData):
    reason = fields.Str(required=True)


COHORT_OPENED = catalog.event("training.cohort.opened.v1", CohortData,
                              "A cohort (promotion) of a programme opened for applications.")
COHORT_SELECTION_CLOSED = catalog.event(
    "training.cohort.selection_closed.v1", SelectionClosedData,
    "The selection committee closed the selection: learners enrolled up to the seats, the rest on reserve.")
COHORT_STARTED = catalog.event("training.cohort.started.v1", CohortStartedData, "A cohort began its seminars.")
COHORT_COMPLETED = catalog.event("training.cohort.completed.v1", CohortCompletedData,
                                 "A cohort ended: validated learners certified.")
COHORT_CANCELLED = catalog.event("training.cohort.cancelled.v1", CohortCancelledData,
                                 "A cohort was cancelled (with the applicants and learners to tell).")
APPLICATION_SUBMITTED = catalog.event("training.application.submitted.v1", ApplicationData,
                                      "A coordinator applied to a cohort.")
APPLICATION_DECIDED = catalog.event(
    "training.application.decided.v1", ApplicationDecidedData,
    "The selection committee shortlisted, accepted or rejected an application (who, when, why).")
APPLICATION_WITHDRAWN = catalog.event("training.application.withdrawn.v1", ApplicationWithdrawnData,
                                      "An applicant withdrew their application.")
LEARNER_ENROLLED = catalog.event("training.learner.enrolled.v1", LearnerEnrolledData,
                                 "An accepted applicant got a seat (at selection or promoted from the reserve).")
LEARNER_WITHDRAWN = catalog.event("training.learner.withdrawn.v1", LearnerWithdrawnData,
                                  "A learner left the cohort; the first of the reserve list took the seat.")
LEARNER_CERTIFIED = catalog.event("training.learner.certified.v1", LearnerCertifiedData,
                                  "A learner was validated; the certificate can be verified with its code.")
LEARNER_ABSENCE_THRESHOLD = catalog.event(
    "training.learner.absence_threshold_reached.v1", AbsenceThresholdData,
    "A learner's unexcused absent half-days reached the cohort's threshold (a warning).")
SEMINAR_SCHEDULED = catalog.event("training.seminar.scheduled.v1", SeminarData,
                                  "A seminar of a cohort was scheduled (theme, dates, place, trainers).")
SEMINAR_RESCHEDULED = catalog.event("training.seminar.rescheduled.v1", SeminarRescheduledData,
                                    "A seminar moved (dates or place).")
SEMINAR_CANCELLED = catalog.event("training.seminar.cancelled.v1", SeminarCancelledData,
                                  "A seminar was cancelled.")


def programme_ref(programme: dict) -> dict:
    return {"id": programme["_id"], "code": programme["code"], "name": programme["name"]}


def cohort_ref(cohort: dict) -> dict:
    """A cohort as the events of its applications, learners and seminars name it."""
    return {"id": cohort["_id"], "name": cohort["name"], "number": cohort["number"], "city": cohort.get("city"),
            "programme": cohort["programme"]}


def seminar_ref(seminar: dict) -> dict:
    """A seminar as events name it: theme, days, the moments it begins and ends, place."""
    starts_on, ends_on = as_date(seminar["starts_on"]), as_date(seminar["ends_on"])
    starts_at, ends_at = rules.seminar_times(starts_on, ends_on)
    return {"id": seminar["_id"], "theme": seminar["theme"], "starts_on": starts_on, "ends_on": ends_on,
            "starts_at": starts_at, "ends_at": ends_at, "place": seminar["place"]}
