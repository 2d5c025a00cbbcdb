"""The registry section of the activity report (XLSX, PDF) and the structures / people exports as XLSX."""
from __future__ import annotations

from services.registry import exports as export_cases, reports, schemas, stats as use_cases
from services.registry.api.common import db
from shared.http import file_answers
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.http.report_routes import add_report_routes

activity_report = Blueprint("activity_report", __name__, url_prefix="/v1/stats",
                            description="The registry section of the activity report, as XLSX and PDF "
                                        "(the same figures as `GET /v1/stats`)")
xlsx_exports = Blueprint("xlsx_exports", __name__, url_prefix="/v1/exports",
                         description="XLSX exports (French headers) for the federation's staff")


def _report(args):
    return reports.report(use_cases.key_figures(db(), current_principal(), args))


add_report_routes(activity_report, query=schemas.StatsQuery, section=_report, file_stem="rapport-activite-reseau")


@xlsx_exports.route("/structures.xlsx", methods=["GET"])
@xlsx_exports.operation(query=schemas.StructureExportQuery)
@xlsx_exports.doc(**file_answers.doc(file_answers.XLSX))
def structures_xlsx(args):
    """Structures matching the same filters as the list (the CSV's rows)."""
    data = export_cases.structures_xlsx(db(), current_principal(), args)
    return file_answers.download(data, file_answers.XLSX, "structures")


@xlsx_exports.route("/people.xlsx", methods=["GET"])
@xlsx_exports.operation(query=schemas.PeopleExportQuery)
@xlsx_exports.doc(**file_answers.doc(file_answers.XLSX))
def people_xlsx(args):
    """People matching the same filters as the list (the CSV's rows)."""
    data = export_cases.people_xlsx(db(), current_principal(), args)
    return file_answers.download(data, file_answers.XLSX, "people")
