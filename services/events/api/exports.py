"""A meeting's staff documents: registrants and attendance (XLSX), the attendance sheet (PDF), the check-in
search by name; and the go / no-go board of the meetings ahead."""
from __future__ import annotations

from services.events import exports as use_cases
from services.events.api.common import db
from services.events.attendance_sheet import attendance_sheet_pdf
from services.events import schemas
from shared.http import file_answers
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.report_document import to_xlsx

STAFF = (NATIONAL, *STAFF_ROLES)
meeting_documents = Blueprint("meeting_documents", __name__, url_prefix="/v1/events",
                              description="A meeting's registrants and attendance (XLSX), attendance sheet (PDF), "
                                          "check-in by name, go / no-go (staff)")


@meeting_documents.route("/go-no-go", methods=["GET"])
@meeting_documents.operation(schemas.GoNoGo(many=True), query=schemas.GoNoGoQuery, roles=STAFF)
def go_no_go(args):
    """Published meetings ahead with a minimum of participants: registered vs minimum and the verdict —
    `no_go` once the deadline passed short of it (cancel « faute de participants » with
    `POST /v1/events/<id>/cancel`)."""
    return use_cases.go_no_go(db(), current_principal(), args)


@meeting_documents.route("/<string:event_id>/registrants.xlsx", methods=["GET"])
@meeting_documents.operation(roles=STAFF)
@meeting_documents.doc(**file_answers.doc(file_answers.XLSX))
def registrants_xlsx(event_id):
    """Everyone who registered (any status), French headers."""
    data = to_xlsx(use_cases.registrants_report(db(), current_principal(), event_id))
    return file_answers.download(data, file_answers.XLSX, f"inscrits-{event_id}")


@meeting_documents.route("/<string:event_id>/attendance.xlsx", methods=["GET"])
@meeting_documents.operation(roles=STAFF)
@meeting_documents.doc(**file_answers.doc(file_answers.XLSX))
def attendance_xlsx(event_id):
    """Who was present, absent or not checked in yet, French headers."""
    data = to_xlsx(use_cases.attendance_report(db(), current_principal(), event_id))
    return file_answers.download(data, file_answers.XLSX, f"presences-{event_id}")


@meeting_documents.route("/<string:event_id>/attendance-sheet.pdf", methods=["GET"])
@meeting_documents.operation(roles=STAFF, alt={409: "Not an in-person meeting"})
@meeting_documents.doc(**file_answers.doc(file_answers.PDF))
def attendance_sheet(event_id):
    """The *feuille d'émargement* of an in-person (or hybrid) meeting, to print and sign."""
    return file_answers.download(attendance_sheet_pdf(db(), current_principal(), event_id), file_answers.PDF,
                                 f"emargement-{event_id}")


@meeting_documents.route("/<string:event_id>/check-in", methods=["GET"])
@meeting_documents.operation(schemas.CheckInMatch(many=True), query=schemas.CheckInQuery, roles=STAFF)
def check_in_search(args, event_id):
    """Find a registrant by name at the door; then one tap:
    `POST /v1/events/<id>/registrations/<registration_id>/attendance {"status": "attended"}`."""
    return use_cases.check_in_search(db(), current_principal(), event_id, args["q"])
