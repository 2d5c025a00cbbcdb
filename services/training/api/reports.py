"""The training section of the activity report (XLSX, PDF) and certificates as PDF."""
from __future__ import annotations

from services.training import certificate_pdf, reports, schemas, stats as use_cases
from services.training.api.common import db, settings
from shared.http import file_answers
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.http.report_routes import add_report_routes

activity_report = Blueprint("activity_report", __name__, url_prefix="/v1/stats",
                            description="The training section of the activity report, as XLSX and PDF "
                                        "(the same figures as `GET /v1/stats`)")
certificate_documents = Blueprint("certificate_documents", __name__, url_prefix="/v1/certificates",
                                  description="Certificates as PDF, with a QR code opening their public check")


def _report(args):
    return reports.report(use_cases.stats(db(), current_principal(), args), args)


add_report_routes(activity_report, query=schemas.StatsQuery, section=_report, file_stem="rapport-activite-formation")


@certificate_documents.route("/<string:code>/document.pdf", methods=["GET"])
@certificate_documents.operation(alt={404: "Unknown code, or not the caller's (staff, national, the holder)"})
@certificate_documents.doc(**file_answers.doc(file_answers.PDF))
def certificate_document(code):
    """The certificate to print: holder, programme, cohort, date, and a QR code opening the console's
    public verification page (`PUBLIC_BASE_URL/certificats/<code>`)."""
    data = certificate_pdf.certificate_pdf(db(), settings(), current_principal(), code)
    return file_answers.download(data, file_answers.PDF, f"attestation-{code.strip().upper()}")
