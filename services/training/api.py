"""Training HTTP routes (`/training/v1/...`). Thin: parse, authorise the role, call the use case."""
from __future__ import annotations

from flask import current_app, url_for
from flask.views import MethodView

from services.training import (
    applications, certificates, cohorts, learners, programmes, schemas, seminars, stats,
)
from shared.http.auth import STAFF_ROLES, current_principal, requires
from shared.http.blueprint import Blueprint
from shared.http.etag import etag_of, expected_version

STAFF = tuple(STAFF_ROLES)


def _db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def _settings():
    return current_app.config["MAILLAGE_SETTINGS"]


def _tagged(doc: dict, status: int = 200, location: str | None = None):
    headers = {"ETag": etag_of({"_id": doc["id"], "version": doc["version"]})}
    if location:
        headers["Location"] = location
    return doc, status, headers


def _expected(doc: dict) -> int:
    return expected_version({"_id": doc["id"], "version": doc["version"]})


# --- programmes -----------------------------------------------------------------------------------------

bp_programmes = Blueprint("programmes", __name__, url_prefix="/v1/programmes",
                          description="Programmes a federation runs (PACTE MSP, PACTE CPTS, SISA co-gérants…)")


@bp_programmes.route("")
class Programmes(MethodView):
    @bp_programmes.arguments(schemas.ProgrammeQuery, location="query")
    @bp_programmes.response(200, schemas.ProgrammePage)
    @requires()
    def get(self, args):
        """List programmes."""
        return programmes.list_programmes(_db(), current_principal(), args)

    @bp_programmes.arguments(schemas.ProgrammeWrite)
    @bp_programmes.response(201, schemas.Programme)
    @requires(*STAFF)
    def post(self, data):
        """Create a programme (staff)."""
        doc = programmes.create_programme(_db(), current_principal(), data)
        return _tagged(doc, 201, url_for("programmes.Programme", programme_id=doc["id"]))


@bp_programmes.route("/<string:programme_id>")
class Programme(MethodView):
    @bp_programmes.response(200, schemas.Programme)
    @requires()
    def get(self, programme_id):
        """One programme, with its ETag."""
        return _tagged(programmes.get_programme(_db(), current_principal(), programme_id))

    @bp_programmes.arguments(schemas.ProgrammePatch(partial=True))
    @bp_programmes.response(200, schemas.Programme)
    @requires(*STAFF)
    def patch(self, changes, programme_id):
        """Change a programme (send `If-Match`)."""
        principal = current_principal()
        current = programmes.get_programme(_db(), principal, programme_id)
        return _tagged(programmes.update_programme(_db(), principal, programme_id, changes, _expected(current)))


# --- cohorts --------------------------------------------------------------------------------------------

bp_cohorts = Blueprint("cohorts", __name__, url_prefix="/v1/cohorts",
                       description="Cohorts (promotions): open → selection → in_progress → completed | cancelled")


@bp_cohorts.route("")
class Cohorts(MethodView):
    @bp_cohorts.arguments(schemas.CohortQuery, location="query")
    @bp_cohorts.response(200, schemas.CohortPage)
    @requires()
    def get(self, args):
        """List cohorts (filters: programme, status, city)."""
        return cohorts.list_cohorts(_db(), current_principal(), args)

    @bp_cohorts.arguments(schemas.CohortCreate)
    @bp_cohorts.response(201, schemas.Cohort)
    @requires(*STAFF)
    def post(self, data):
        """Open a cohort for applications (staff)."""
        doc = cohorts.create_cohort(_db(), current_principal(), data)
        return _tagged(doc, 201, url_for("cohorts.Cohort", cohort_id=doc["id"]))


@bp_cohorts.route("/<string:cohort_id>")
class Cohort(MethodView):
    @bp_cohorts.response(200, schemas.Cohort)
    @requires()
    def get(self, cohort_id):
        """One cohort, with its ETag."""
        return _tagged(cohorts.get_cohort(_db(), current_principal(), cohort_id))

    @bp_cohorts.arguments(schemas.CohortPatch(partial=True))
    @bp_cohorts.response(200, schemas.Cohort)
    @requires(*STAFF)
    def patch(self, changes, cohort_id):
        """Change a cohort (seats, trainers, dates…; more seats promote the reserve list). Send `If-Match`."""
        principal = current_principal()
        current = cohorts.get_cohort(_db(), principal, cohort_id)
        return _tagged(cohorts.update_cohort(_db(), principal, cohort_id, changes, _expected(current)))


@bp_cohorts.route("/<string:cohort_id>/close-applications", methods=["POST"])
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def close_applications(cohort_id):
    """Close applications: the cohort moves to selection (staff)."""
    return _tagged(cohorts.close_applications(_db(), current_principal(), cohort_id))


@bp_cohorts.route("/<string:cohort_id>/committee", methods=["POST"])
@bp_cohorts.arguments(schemas.CommitteeIn)
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def record_committee(data, cohort_id):
    """Record the selection committee that sat: the federation and the ARS (staff)."""
    return _tagged(cohorts.record_committee(_db(), current_principal(), cohort_id, data))


@bp_cohorts.route("/<string:cohort_id>/close-selection", methods=["POST"])
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def close_selection(cohort_id):
    """Close the selection: accepted applicants in rank order get the seats, the others form the reserve list."""
    return _tagged(cohorts.close_selection(_db(), current_principal(), cohort_id))


@bp_cohorts.route("/<string:cohort_id>/start", methods=["POST"])
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def start_cohort(cohort_id):
    """Start the cohort's seminars (staff)."""
    return _tagged(cohorts.start_cohort(_db(), current_principal(), cohort_id))


@bp_cohorts.route("/<string:cohort_id>/complete", methods=["POST"])
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def complete_cohort(cohort_id):
    """Complete the cohort: validated learners are certified, the others not validated (staff)."""
    return _tagged(cohorts.complete_cohort(_db(), _settings(), current_principal(), cohort_id))


@bp_cohorts.route("/<string:cohort_id>/cancel", methods=["POST"])
@bp_cohorts.arguments(schemas.ReasonIn)
@bp_cohorts.response(200, schemas.Cohort)
@requires(*STAFF)
def cancel_cohort(data, cohort_id):
    """Cancel the cohort (staff); applicants and learners are told through the event."""
    return _tagged(cohorts.cancel_cohort(_db(), current_principal(), cohort_id, data["reason"]))


@bp_cohorts.route("/<string:cohort_id>/applications")
class CohortApplications(MethodView):
    @bp_cohorts.arguments(schemas.CohortApplicationQuery, location="query")
    @bp_cohorts.response(200, schemas.ApplicationPage)
    @requires()
    def get(self, args, cohort_id):
        """Applications to the cohort (staff: all; others: their own)."""
        return applications.list_applications(_db(), current_principal(), args, cohort_id)

    @bp_cohorts.arguments(schemas.ApplicationIn)
    @bp_cohorts.response(201, schemas.Application)
    @requires("coordinator", *STAFF)
    def post(self, data, cohort_id):
        """Apply (a coordinator, for themself, with their structure and motivation)."""
        doc = applications.submit(_db(), current_principal(), cohort_id, data)
        return _tagged(doc, 201, url_for("applications.Application", application_id=doc["id"]))


@bp_cohorts.route("/<string:cohort_id>/reserve")
class Reserve(MethodView):
    @bp_cohorts.response(200, schemas.Application(many=True))
    @requires(*STAFF, "national")
    def get(self, cohort_id):
        """The reserve list, first first (staff)."""
        return cohorts.reserve(_db(), current_principal(), cohort_id)


@bp_cohorts.route("/<string:cohort_id>/learners")
class CohortLearners(MethodView):
    @bp_cohorts.arguments(schemas.LearnerQuery, location="query")
    @bp_cohorts.response(200, schemas.LearnerPage)
    @requires(*STAFF, "trainer", "national")
    def get(self, args, cohort_id):
        """The cohort's learners (staff and the cohort's trainers)."""
        return learners.list_learners(_db(), current_principal(), cohort_id, args)


@bp_cohorts.route("/<string:cohort_id>/seminars")
class CohortSeminars(MethodView):
    @bp_cohorts.arguments(schemas.SeminarQuery, location="query")
    @bp_cohorts.response(200, schemas.SeminarPage)
    @requires()
    def get(self, args, cohort_id):
        """The cohort's seminars, in date order."""
        return seminars.list_seminars(_db(), current_principal(), cohort_id, args)

    @bp_cohorts.arguments(schemas.SeminarWrite)
    @bp_cohorts.response(201, schemas.Seminar)
    @requires(*STAFF)
    def post(self, data, cohort_id):
        """Schedule a seminar (staff)."""
        doc = seminars.schedule(_db(), current_principal(), cohort_id, data)
        return _tagged(doc, 201, url_for("seminars.Seminar", seminar_id=doc["id"]))


# --- applications ---------------------------------------------------------------------------------------

bp_applications = Blueprint("applications", __name__, url_prefix="/v1/applications",
                            description="Applications: submitted → shortlisted → accepted | rejected | withdrawn")


@bp_applications.route("")
class Applications(MethodView):
    @bp_applications.arguments(schemas.ApplicationQuery, location="query")
    @bp_applications.response(200, schemas.ApplicationPage)
    @requires()
    def get(self, args):
        """Applications (staff: all of the federation; others: their own)."""
        return applications.list_applications(_db(), current_principal(), args)


@bp_applications.route("/<string:application_id>")
class Application(MethodView):
    @bp_applications.response(200, schemas.Application)
    @requires()
    def get(self, application_id):
        """One application (staff, or the applicant)."""
        return _tagged(applications.get_application(_db(), current_principal(), application_id))


@bp_applications.route("/<string:application_id>/withdraw", methods=["POST"])
@bp_applications.arguments(schemas.OptionalReasonIn)
@bp_applications.response(200, schemas.Application)
@requires()
def withdraw_application(data, application_id):
    """Withdraw (the applicant, or staff); a seated learner leaves and the reserve list moves up."""
    return _tagged(applications.withdraw(_db(), current_principal(), application_id, data.get("reason")))


@bp_applications.route("/<string:application_id>/scores", methods=["POST"])
@bp_applications.arguments(schemas.ScoreIn)
@bp_applications.response(200, schemas.Application)
@requires(*STAFF)
def score_application(data, application_id):
    """A committee member's score, 0–20 (staff)."""
    return _tagged(applications.score(_db(), current_principal(), application_id, data))


@bp_applications.route("/<string:application_id>/decision", methods=["POST"])
@bp_applications.arguments(schemas.DecisionIn)
@bp_applications.response(200, schemas.Application)
@requires(*STAFF)
def decide_application(data, application_id):
    """Shortlist, accept or reject, with the reason (staff, for the committee)."""
    return _tagged(applications.decide(_db(), current_principal(), application_id, data))


# --- learners -------------------------------------------------------------------------------------------

bp_learners = Blueprint("learners", __name__, url_prefix="/v1/learners",
                        description="Learners: enrolled → certified | not_validated | withdrawn")


@bp_learners.route("/<string:learner_id>")
class LearnerView(MethodView):
    @bp_learners.response(200, schemas.Learner)
    @requires()
    def get(self, learner_id):
        """One learner (staff, the cohort's trainers, or the learner)."""
        return _tagged(learners.get_learner(_db(), current_principal(), learner_id))


@bp_learners.route("/<string:learner_id>/withdraw", methods=["POST"])
@bp_learners.arguments(schemas.OptionalReasonIn)
@bp_learners.response(200, schemas.Learner)
@requires()
def withdraw_learner(data, learner_id):
    """Leave the cohort (the learner, or staff); the first of the reserve list takes the seat."""
    return _tagged(learners.withdraw_learner(_db(), current_principal(), learner_id, data.get("reason")))


@bp_learners.route("/<string:learner_id>/deliverables", methods=["POST"])
@bp_learners.arguments(schemas.DeliverableIn)
@bp_learners.response(200, schemas.Learner)
@requires(*STAFF, "trainer")
def record_deliverable(data, learner_id):
    """A deliverable received (staff or the cohort's trainers)."""
    return _tagged(learners.record_deliverable(_db(), current_principal(), learner_id, data))


@bp_learners.route("/<string:learner_id>/defence", methods=["PUT"])
@bp_learners.arguments(schemas.DefenceIn)
@bp_learners.response(200, schemas.Learner)
@requires(*STAFF, "trainer")
def record_defence(data, learner_id):
    """Defence date and outcome (staff or the cohort's trainers)."""
    return _tagged(learners.record_defence(_db(), current_principal(), learner_id, data))


@bp_learners.route("/<string:learner_id>/certificate", methods=["POST"])
@bp_learners.response(201, schemas.Learner)
@requires(*STAFF)
def certify_learner(learner_id):
    """Certify a validated learner (staff): a certificate with a public verification code."""
    return _tagged(certificates.certify(_db(), _settings(), current_principal(), learner_id), 201)


# --- seminars -------------------------------------------------------------------------------------------

bp_seminars = Blueprint("seminars", __name__, url_prefix="/v1/seminars",
                        description="Seminars (scheduled, rescheduled, cancelled) and attendance per half-day")


@bp_seminars.route("/<string:seminar_id>")
class Seminar(MethodView):
    @bp_seminars.response(200, schemas.Seminar)
    @requires()
    def get(self, seminar_id):
        """One seminar, with its ETag."""
        return _tagged(seminars.get_seminar(_db(), current_principal(), seminar_id))

    @bp_seminars.arguments(schemas.SeminarPatch(partial=True))
    @bp_seminars.response(200, schemas.Seminar)
    @requires(*STAFF)
    def patch(self, changes, seminar_id):
        """Change or reschedule a seminar (new dates or place) (staff; send `If-Match`)."""
        principal = current_principal()
        current = seminars.get_seminar(_db(), principal, seminar_id)
        return _tagged(seminars.reschedule(_db(), principal, seminar_id, changes, _expected(current)))


@bp_seminars.route("/<string:seminar_id>/cancel", methods=["POST"])
@bp_seminars.arguments(schemas.ReasonIn)
@bp_seminars.response(200, schemas.Seminar)
@requires(*STAFF)
def cancel_seminar(data, seminar_id):
    """Cancel a seminar (staff)."""
    return _tagged(seminars.cancel(_db(), current_principal(), seminar_id, data["reason"]))


@bp_seminars.route("/<string:seminar_id>/attendance")
class SeminarAttendance(MethodView):
    @bp_seminars.response(200, schemas.Attendance)
    @requires(*STAFF, "trainer", "national")
    def get(self, seminar_id):
        """Attendance of the seminar (trainers and staff)."""
        return seminars.attendance(_db(), current_principal(), seminar_id)

    @bp_seminars.arguments(schemas.AttendanceIn)
    @bp_seminars.response(200, schemas.AttendanceResult)
    @requires("trainer", *STAFF)
    def put(self, data, seminar_id):
        """Record attendance per learner per half-day (the cohort's trainers, or staff)."""
        return seminars.record_attendance(_db(), current_principal(), seminar_id, data["records"])


# --- certificates (public) and figures ------------------------------------------------------------------

bp_certificates = Blueprint("certificates", __name__, url_prefix="/v1/certificates",
                            description="Public verification of a certificate by its code (no token)")


@bp_certificates.route("/<string:code>")
@bp_certificates.response(200, schemas.Certificate)
@bp_certificates.doc(security=[])
def verify_certificate(code):
    """Check a certificate: holder's name, programme, cohort and date (no token needed)."""
    return certificates.verify(_db(), code)


bp_stats = Blueprint("stats", __name__, url_prefix="/v1/stats",
                     description="Learners trained per programme and year, applications vs seats, rates")


@bp_stats.route("")
@bp_stats.arguments(schemas.StatsQuery, location="query")
@bp_stats.response(200, schemas.Stats)
@requires()
def get_stats(args):
    """The federation's training figures (national: across federations)."""
    return stats.stats(_db(), current_principal(), args)


BLUEPRINTS = [bp_programmes, bp_cohorts, bp_applications, bp_learners, bp_seminars, bp_certificates, bp_stats]
