"""`/v1/applications`: read, withdraw, score and decide applications (they are filed on a cohort)."""
from flask.views import MethodView

from services.training import applications as use_cases, schemas
from services.training.api.common import STAFF, db, tagged
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

applications = Blueprint("applications", __name__, url_prefix="/v1/applications",
                         description="Applications: submitted → shortlisted → accepted | rejected | withdrawn")


@applications.route("")
class Applications(MethodView):
    @applications.operation(schemas.ApplicationPage, query=schemas.ApplicationQuery)
    def get(self, args):
        """Applications (staff: all of the federation; others: their own)."""
        return use_cases.list_applications(db(), current_principal(), args)


@applications.route("/<string:application_id>")
class Application(MethodView):
    @applications.operation(schemas.Application)
    def get(self, application_id):
        """One application (staff, or the applicant)."""
        return tagged(use_cases.get_application(db(), current_principal(), application_id))


@applications.route("/<string:application_id>/withdraw", methods=["POST"])
@applications.operation(schemas.Application, body=schemas.OptionalReasonIn)
def withdraw_application(data, application_id):
    """Withdraw (the applicant, or staff); a seated learner leaves and the reserve list moves up."""
    return tagged(use_cases.withdraw(db(), current_principal(), application_id, data.get("reason")))


@applications.route("/<string:application_id>/scores", methods=["POST"])
@applications.operation(schemas.Application, body=schemas.ScoreIn, roles=STAFF)
def score_application(data, application_id):
    """A committee member's score, 0–20 (staff)."""
    return tagged(use_cases.score(db(), current_principal(), application_id, data))


@applications.route("/<string:application_id>/decision", methods=["POST"])
@applications.operation(schemas.Application, body=schemas.DecisionIn, roles=STAFF)
def decide_application(data, application_id):
    """Shortlist, accept or reject, with the reason (staff, for the committee)."""
    return tagged(use_cases.decide(db(), current_principal(), application_id, data))
