"""`/v1/stats`: the figures federations report."""
from __future__ import annotations

from services.events import schemas
from services.events.api.common import db
from services.events.stats import stats as compute_stats
from shared.errors import NotFound
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint

figures = Blueprint("stats", __name__, url_prefix="/v1/stats", description="Figures federations report")


@figures.route("", methods=["GET"])
@figures.operation(schemas.Stats, query=schemas.StatsQuery, roles=(NATIONAL, *STAFF_ROLES))
def get_stats(args):
    """Per year and department: events by kind, registrations vs attendance, local groups'
    participation, facilitations by type, cancellations."""
    principal = current_principal()
    if args.get("federation") and not principal.can_read(args["federation"]):
        raise NotFound("federation")
    return compute_stats(db(), principal.scope(args.get("federation")), args)
