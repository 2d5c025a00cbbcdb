"""`/v1/me/trainings` (my trainings: cohorts, seminars, my attendance, certificate) and `/v1/me/export` (GDPR)."""
from __future__ import annotations

from services.training import my_space
from services.training.api.common import db
from services.training.schemas.my_space import MyTrainingExport, MyTrainings
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.http.context import service_settings as settings

my_space_routes = Blueprint("my_space", __name__, url_prefix="/v1/me",
                            description="A person's own trainings and their data")


@my_space_routes.route("/trainings", methods=["GET"])
@my_space_routes.operation(MyTrainings)
def my_trainings():
    """Your trainings: each cohort you are (or were) a learner of, with its programme, seminars, your attendance
    per half-day and your certificate (your applications: `GET /v1/applications`)."""
    return my_space.my_trainings(db(), current_principal(), settings())


@my_space_routes.route("/export", methods=["GET"])
@my_space_routes.operation(MyTrainingExport)
def my_export():
    """Everything the training service keeps of you (GDPR right of access)."""
    return my_space.my_export(db(), current_principal())
