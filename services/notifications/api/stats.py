"""`/v1/stats` (and its XLSX / PDF), and `/v1/reminders?event_id=`: the figures staff report, the reminders
armed for a meeting."""
from __future__ import annotations

from services.notifications import reports, stats as use_cases
from services.notifications.api.common import STAFF, db
from services.notifications.schemas.stats import Reminder, RemindersQuery, Stats, StatsQuery
from shared.http import file_answers
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.report_document import to_pdf, to_xlsx

stats = Blueprint("stats", __name__, url_prefix="/v1/stats",
                  description="Figures of the activity report: messages, reminders, webhooks (staff)")
reminders = Blueprint("reminders", __name__, url_prefix="/v1/reminders",
                      description="Reminders armed for a meeting (staff)")


@stats.route("", methods=["GET"])
@stats.operation(Stats, query=StatsQuery, roles=STAFF)
def get_stats(args):
    """E-mails by status and category, suppressed ones by reason, reminders, webhooks, for a year."""
    return use_cases.stats(db(), current_principal(), args)


@stats.route("/report.xlsx", methods=["GET"])
@stats.operation(query=StatsQuery, roles=STAFF)
@stats.doc(**file_answers.doc(file_answers.XLSX))
def report_xlsx(args):
    """The figures of `GET /v1/stats` (same query), one sheet per table, French headers."""
    data = to_xlsx(reports.report(use_cases.stats(db(), current_principal(), args)))
    return file_answers.download(data, file_answers.XLSX, "rapport-activite-notifications")


@stats.route("/report.pdf", methods=["GET"])
@stats.operation(query=StatsQuery, roles=STAFF)
@stats.doc(**file_answers.doc(file_answers.PDF))
def report_pdf(args):
    """The figures of `GET /v1/stats` (same query) as a printable A4 document."""
    data = to_pdf(reports.report(use_cases.stats(db(), current_principal(), args)))
    return file_answers.download(data, file_answers.PDF, "rapport-activite-notifications")


@reminders.route("", methods=["GET"])
@reminders.operation(Reminder(many=True), query=RemindersQuery, roles=STAFF)
def event_reminders(args):
    """The reminders armed for one meeting, soonest first: rule (J-7, veille…), when, status."""
    return use_cases.event_reminders(db(), current_principal(), args["event_id"])
