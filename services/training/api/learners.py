"""`/v1/learners`: a learner's record, withdrawal, validation and certificate."""
from flask.views import MethodView

from services.training import certificates, learners as use_cases, schemas
from services.training.api.common import STAFF, db, settings, tagged
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

learners = Blueprint("learners", __name__, url_prefix="/v1/learners",
                     description="Learners: enrolled → certified | not_validated | withdrawn")


@learners.route("/<string:learner_id>")
class LearnerView(MethodView):
    @learners.operation(schemas.Learner)
    def get(self, learner_id):
        """One learner (staff, the cohort's trainers, or the learner)."""
        return tagged(use_cases.get_learner(db(), current_principal(), learner_id))


@learners.route("/<string:learner_id>/withdraw", methods=["POST"])
@learners.operation(schemas.Learner, body=schemas.OptionalReasonIn)
def withdraw_learner(data, learner_id):
    """Leave the cohort (the learner, or staff); the first of the reserve list takes the seat."""
    return tagged(use_cases.withdraw_learner(db(), current_principal(), learner_id, data.get("reason")))


@learners.route("/<string:learner_id>/deliverables", methods=["POST"])
@learners.operation(schemas.Learner, body=schemas.DeliverableIn, roles=(*STAFF, "trainer"))
def record_deliverable(data, learner_id):
    """A deliverable received (staff or the cohort's trainers)."""
    return tagged(use_cases.record_deliverable(db(), current_principal(), learner_id, data))


@learners.route("/<string:learner_id>/defence", methods=["PUT"])
@learners.operation(schemas.Learner, body=schemas.DefenceIn, roles=(*STAFF, "trainer"))
def record_defence(data, learner_id):
    """Defence date and outcome (staff or the cohort's trainers)."""
    return tagged(use_cases.record_defence(db(), current_principal(), learner_id, data))


@learners.route("/<string:learner_id>/certificate", methods=["POST"])
@learners.operation(schemas.Learner, status=201, roles=STAFF)
def certify_learner(learner_id):
    """Certify a validated learner (staff): a certificate with a public verification code."""
    return tagged(certificates.certify(db(), settings(), current_principal(), learner_id), 201)
