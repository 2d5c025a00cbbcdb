"""The registry section of the activity report (XLSX, PDF) and the structures / people exports as XLSX."""
from __future__ import annotations

from services.registry import exports as export_cases, reports, schemas, stats as use_cases
from services.registry.api.common import db
from shared.http import file_answers
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.report_document import to_pdf, to_xlsx

activity_report = Blueprint("activity_report", __name__, url_prefix="/v1/stats",
                            description="The registry section of the activity report, as XLSX and PDF "
                                        "(the same figures as `GET /v1/stats`)")
xlsx_exports = Blueprint("xlsx_exports", __name__, url_prefix="/v1/exports",
                         description="XLSX exports (French headers) for the federation's staff")


def _report(args):
    return reports.report(use_cases.key_figures(db(), current_principal(), args))


@activity_report.route("/report.xlsx", methods=["GET"])
@activity_report.operation(query=schemas.StatsQuery)
@activity_report.doc(**file_answers.doc(file_answers.XLSX))
def report_xlsx(args):
    """The figures of `GET /v1/stats` (same query), one sheet per table, French headers."""
    return file_answers.download(to_xlsx(_report(args)), file_answers.XLSX, "rapport-activite-reseau")


@activity_report.route("/report.pdf", methods=["GET"])
@activity_report.operation(query=schemas.StatsQuery)
@activity_report.doc(**file_answers.doc(file_answers.PDF))
def report_pdf(args):
    """The figures of `GET /v1/stats` (same query) as a printable A4 document."""
    return file_answers.download(to_pdf(_report(args)), file_answers.PDF, "rapport-activite-reseau")


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
