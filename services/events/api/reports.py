"""`/v1/stats/report.xlsx` and `/v1/stats/report.pdf`: the events section of the activity report."""
from __future__ import annotations

from services.events import reports, schemas
from services.events.api.common import db
from services.events.stats import stats as compute_stats
from shared.errors import NotFound
from shared.http import file_answers as downloads
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.report_document import to_pdf, to_xlsx

activity_report = Blueprint("activity_report", __name__, url_prefix="/v1/stats",
                            description="The events section of the activity report, as XLSX and PDF "
                                        "(the same figures as `GET /v1/stats`)")


def _report(args):
    principal = current_principal()
    if args.get("federation") and not principal.can_read(args["federation"]):
        raise NotFound("federation")
    return reports.report(compute_stats(db(), principal.scope(args.get("federation")), args))


@activity_report.route("/report.xlsx", methods=["GET"])
@activity_report.operation(query=schemas.StatsQuery, roles=(NATIONAL, *STAFF_ROLES))
@activity_report.doc(**downloads.doc(downloads.XLSX))
def report_xlsx(args):
    """The figures of `GET /v1/stats` (same query), one sheet per table, French headers."""
    return downloads.download(to_xlsx(_report(args)), downloads.XLSX, "rapport-activite-evenements")


@activity_report.route("/report.pdf", methods=["GET"])
@activity_report.operation(query=schemas.StatsQuery, roles=(NATIONAL, *STAFF_ROLES))
@activity_report.doc(**downloads.doc(downloads.PDF))
def report_pdf(args):
    """The figures of `GET /v1/stats` (same query) as a printable A4 document."""
    return downloads.download(to_pdf(_report(args)), downloads.PDF, "rapport-activite-evenements")
