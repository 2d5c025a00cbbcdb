"""`/v1/seminars`: a seminar, its rescheduling and cancellation, its attendance (scheduled on a cohort)."""
from flask.views import MethodView

from services.training import schemas, seminars as use_cases
from services.training.api.common import STAFF, db, expected, tagged
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

seminars = Blueprint("seminars", __name__, url_prefix="/v1/seminars",
                     description="Seminars (scheduled, rescheduled, cancelled) and attendance per half-day")


@seminars.route("/<string:seminar_id>")
class Seminar(MethodView):
    @seminars.operation(schemas.Seminar)
    def get(self, seminar_id):
        """One seminar, with its ETag."""
        return tagged(use_cases.get_seminar(db(), current_principal(), seminar_id))

    @seminars.operation(schemas.Seminar, body=schemas.SeminarPatch(partial=True), roles=STAFF)
    def patch(self, changes, seminar_id):
        """Change or reschedule a seminar (new dates or place) (staff; send `If-Match`)."""
        principal = current_principal()
        current = use_cases.get_seminar(db(), principal, seminar_id)
        return tagged(use_cases.reschedule(db(), principal, seminar_id, changes, expected(current)))


@seminars.route("/<string:seminar_id>/cancel", methods=["POST"])
@seminars.operation(schemas.Seminar, body=schemas.ReasonIn, roles=STAFF)
def cancel_seminar(data, seminar_id):
    """Cancel a seminar (staff)."""
    return tagged(use_cases.cancel(db(), current_principal(), seminar_id, data["reason"]))


@seminars.route("/<string:seminar_id>/attendance")
class SeminarAttendance(MethodView):
    @seminars.operation(schemas.Attendance, roles=(*STAFF, "trainer", "national"))
    def get(self, seminar_id):
        """Attendance of the seminar (trainers and staff)."""
        return use_cases.attendance(db(), current_principal(), seminar_id)

    @seminars.operation(schemas.AttendanceResult, body=schemas.AttendanceIn, roles=("trainer", *STAFF))
    def put(self, data, seminar_id):
        """Record attendance per learner per half-day (the cohort's trainers, or staff)."""
        return use_cases.record_attendance(db(), current_principal(), seminar_id, data["records"])
