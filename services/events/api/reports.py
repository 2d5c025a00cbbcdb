"""`/v1/stats/report.xlsx` and `/v1/stats/report.pdf`: the events section of the activity report."""
from __future__ import annotations

from services.events import reports, schemas
from services.events.api.common import db
from services.events.stats import stats as compute_stats
from shared.errors import NotFound
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.report_routes import add_report_routes

activity_report = Blueprint("activity_report", __name__, url_prefix="/v1/stats",
                            description="The events section of the activity report, as XLSX and PDF "
                                        "(the same figures as `GET /v1/stats`)")


def _report(args):
    principal = current_principal()
    if args.get("federation") and not principal.can_read(args["federation"]):
        raise NotFound("federation")
    return reports.report(compute_stats(db(), principal.scope(args.get("federation")), args))


add_report_routes(activity_report, query=schemas.StatsQuery, section=_report, file_stem="rapport-activite-evenements",
                  roles=(NATIONAL, *STAFF_ROLES))
