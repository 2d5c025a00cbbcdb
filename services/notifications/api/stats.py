"""`/v1/stats` (and its XLSX / PDF), and `/v1/reminders?event_id=`: the figures staff report, the reminders
armed for a meeting."""
from __future__ import annotations

from services.notifications import reports, stats as use_cases
from services.notifications.api.common import STAFF, db
from services.notifications.schemas.stats import Reminder, RemindersQuery, Stats, StatsQuery
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.http.report_routes import add_report_routes

stats = Blueprint("stats", __name__, url_prefix="/v1/stats",
                  description="Figures of the activity report: messages, reminders, webhooks (staff)")
reminders = Blueprint("reminders", __name__, url_prefix="/v1/reminders",
                      description="Reminders armed for a meeting (staff)")


@stats.route("", methods=["GET"])
@stats.operation(Stats, query=StatsQuery, roles=STAFF)
def get_stats(args):
    """E-mails by status and category, suppressed ones by reason, reminders, webhooks, for a year."""
    return use_cases.stats(db(), current_principal(), args)


add_report_routes(stats, query=StatsQuery, roles=STAFF, file_stem="rapport-activite-notifications",
                  section=lambda args: reports.report(use_cases.stats(db(), current_principal(), args)))


@reminders.route("", methods=["GET"])
@reminders.operation(Reminder(many=True), query=RemindersQuery, roles=STAFF)
def event_reminders(args):
    """The reminders armed for one meeting, soonest first: rule (J-7, veille…), when, status."""
    return use_cases.event_reminders(db(), current_principal(), args["event_id"])
