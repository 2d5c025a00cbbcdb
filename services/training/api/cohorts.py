"""`/v1/cohorts`: cohorts (promotions) through their life, and what each holds (applications, reserve
list, learners, seminars)."""
from flask import url_for
from flask.views import MethodView

from services.training import applications, cohorts as use_cases, learners, schemas, seminars
from services.training.api.common import STAFF, db, expected, settings, tagged
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

cohorts = Blueprint("cohorts", __name__, url_prefix="/v1/cohorts",
                    description="Cohorts (promotions): open → selection → in_progress → completed | cancelled")


@cohorts.route("")
class Cohorts(MethodView):
    @cohorts.operation(schemas.CohortPage, query=schemas.CohortQuery)
    def get(self, args):
        """List cohorts (filters: programme, status, city)."""
        return use_cases.list_cohorts(db(), current_principal(), args)

    @cohorts.operation(schemas.Cohort, status=201, body=schemas.CohortCreate, roles=STAFF)
    def post(self, data):
        """Open a cohort for applications (staff)."""
        doc = use_cases.create_cohort(db(), current_principal(), data)
        return tagged(doc, 201, url_for("cohorts.Cohort", cohort_id=doc["id"]))


@cohorts.route("/<string:cohort_id>")
class Cohort(MethodView):
    @cohorts.operation(schemas.Cohort)
    def get(self, cohort_id):
        """One cohort, with its ETag."""
        return tagged(use_cases.get_cohort(db(), current_principal(), cohort_id))

    @cohorts.operation(schemas.Cohort, body=schemas.CohortPatch(partial=True), roles=STAFF)
    def patch(self, changes, cohort_id):
        """Change a cohort (seats, trainers, dates…; more seats promote the reserve list). Send `If-Match`."""
        principal = current_principal()
        current = use_cases.get_cohort(db(), principal, cohort_id)
        return tagged(use_cases.update_cohort(db(), principal, cohort_id, changes, expected(current)))


@cohorts.route("/<string:cohort_id>/close-applications", methods=["POST"])
@cohorts.operation(schemas.Cohort, roles=STAFF)
def close_applications(cohort_id):
    """Close applications: the cohort moves to selection (staff)."""
    return tagged(use_cases.close_applications(db(), current_principal(), cohort_id))


@cohorts.route("/<string:cohort_id>/committee", methods=["POST"])
@cohorts.operation(schemas.Cohort, body=schemas.CommitteeIn, roles=STAFF)
def record_committee(data, cohort_id):
    """Record the selection committee that sat: the federation and the ARS (staff)."""
    return tagged(use_cases.record_committee(db(), current_principal(), cohort_id, data))


@cohorts.route("/<string:cohort_id>/close-selection", methods=["POST"])
@cohorts.operation(schemas.Cohort, roles=STAFF)
def close_selection(cohort_id):
    """Close the selection: accepted applicants in rank order get the seats, the others form the reserve list."""
    return tagged(use_cases.close_selection(db(), current_principal(), cohort_id))


@cohorts.route("/<string:cohort_id>/start", methods=["POST"])
@cohorts.operation(schemas.Cohort, roles=STAFF)
def start_cohort(cohort_id):
    """Start the cohort's seminars (staff)."""
    return tagged(use_cases.start_cohort(db(), current_principal(), cohort_id))


@cohorts.route("/<string:cohort_id>/complete", methods=["POST"])
@cohorts.operation(schemas.Cohort, roles=STAFF)
def complete_cohort(cohort_id):
    """Complete the cohort: validated learners are certified, the others not validated (staff)."""
    return tagged(use_cases.complete_cohort(db(), settings(), current_principal(), cohort_id))


@cohorts.route("/<string:cohort_id>/cancel", methods=["POST"])
@cohorts.operation(schemas.Cohort, body=schemas.ReasonIn, roles=STAFF)
def cancel_cohort(data, cohort_id):
    """Cancel the cohort (staff); applicants and learners are told through the event."""
    return tagged(use_cases.cancel_cohort(db(), current_principal(), cohort_id, data["reason"]))


@cohorts.route("/<string:cohort_id>/applications")
class CohortApplications(MethodView):
    @cohorts.operation(schemas.ApplicationPage, query=schemas.CohortApplicationQuery)
    def get(self, args, cohort_id):
        """Applications to the cohort (staff: all; others: their own)."""
        return applications.list_applications(db(), current_principal(), args, cohort_id)

    @cohorts.operation(schemas.Application, status=201, body=schemas.ApplicationIn, roles=("coordinator", *STAFF))
    def post(self, data, cohort_id):
        """Apply (a coordinator, for themself, with their structure and motivation)."""
        doc = applications.submit(db(), current_principal(), cohort_id, data)
        return tagged(doc, 201, url_for("applications.Application", application_id=doc["id"]))


@cohorts.route("/<string:cohort_id>/reserve")
class Reserve(MethodView):
    @cohorts.operation(schemas.Application(many=True), roles=(*STAFF, "national"))
    def get(self, cohort_id):
        """The reserve list, first first (staff)."""
        return use_cases.reserve(db(), current_principal(), cohort_id)


@cohorts.route("/<string:cohort_id>/learners")
class CohortLearners(MethodView):
    @cohorts.operation(schemas.LearnerPage, query=schemas.LearnerQuery, roles=(*STAFF, "trainer", "national"))
    def get(self, args, cohort_id):
        """The cohort's learners (staff and the cohort's trainers)."""
        return learners.list_learners(db(), current_principal(), cohort_id, args)


@cohorts.route("/<string:cohort_id>/seminars")
class CohortSeminars(MethodView):
    @cohorts.operation(schemas.SeminarPage, query=schemas.SeminarQuery)
    def get(self, args, cohort_id):
        """The cohort's seminars, in date order."""
        return seminars.list_seminars(db(), current_principal(), cohort_id, args)

    @cohorts.operation(schemas.Seminar, status=201, body=schemas.SeminarWrite, roles=STAFF)
    def post(self, data, cohort_id):
        """Schedule a seminar (staff)."""
        doc = seminars.schedule(db(), current_principal(), cohort_id, data)
        return tagged(doc, 201, url_for("seminars.Seminar", seminar_id=doc["id"]))
