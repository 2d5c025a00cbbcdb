"""`…/report.xlsx` and `…/report.pdf`: a service's section of the federation's activity report, the same figures
as its `GET /v1/stats` (same query), built once as tables (`shared.report_document`) and rendered either way."""
from __future__ import annotations

from typing import Callable

from shared.http import file_answers
from shared.http.blueprint import Blueprint
from shared.report_document import to_pdf, to_xlsx


def add_report_routes(bp: Blueprint, *, query, section: Callable[[dict], object], file_stem: str,
                      roles: tuple[str, ...] = ()) -> None:
    """Mount the two downloads on `bp`: `section(args)` gives the report's tables for the parsed query."""

    @bp.route("/report.xlsx", methods=["GET"])
    @bp.operation(query=query, roles=roles)
    @bp.doc(**file_answers.doc(file_answers.XLSX))
    def report_xlsx(args):
        """The figures of `GET /v1/stats` (same query), one sheet per table, French headers."""
        return file_answers.download(to_xlsx(section(args)), file_answers.XLSX, file_stem)

    @bp.route("/report.pdf", methods=["GET"])
    @bp.operation(query=query, roles=roles)
    @bp.doc(**file_answers.doc(file_answers.PDF))
    def report_pdf(args):
        """The figures of `GET /v1/stats` (same query) as a printable A4 document."""
        return file_answers.download(to_pdf(section(args)), file_answers.PDF, file_stem)
