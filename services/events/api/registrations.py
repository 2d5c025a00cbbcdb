"""`/v1/events/<id>/registrations` (on the events blueprint), `/v1/me` and `/v1/me/registrations`."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from services.events import registrations, schemas
from services.events.api.common import db, settings
from services.events.api.events import events
from shared.me import me_blueprint
from shared.http.auth import STAFF_ROLES, current_principal

me = me_blueprint(lambda principal, person_known: {
    "register_themself": person_known, "read_my_registrations": person_known,
    "run_the_federations_events": principal.is_staff, "read_every_federation": principal.is_national},
    description="The signed-in caller and what they registered for")


@events.route("/<string:event_id>/registrations")
class Registrations(MethodView):
    @events.operation(schemas.RegistrationPage, query=schemas.RegistrationQuery)
    def get(self, args, event_id):
        """Who registered (staff of the organizing federation, national)."""
        return registrations.list_registrations(db(), current_principal(), event_id, args)

    @events.operation(schemas.Registration, status=201, body=schemas.RegistrationCreate)
    def post(self, data, event_id):
        """Register: yourself (empty body), or — staff — a registry person or an outside guest.

        Lands as registered, waitlisted (event full) or awaiting approval."""
        doc = registrations.register(db(), current_principal(), event_id, data, settings().registration_batch_max,
                                     settings().registration_gather_ms / 1000)
        return doc, 201, {"Location": url_for("events.Registration", event_id=event_id, registration_id=doc["_id"])}


@events.route("/<string:event_id>/registrations/<string:registration_id>")
class Registration(MethodView):
    @events.operation(schemas.Registration)
    def get(self, event_id, registration_id):
        """One registration (yours, or any for staff)."""
        return registrations.get_registration(db(), current_principal(), event_id, registration_id)


@events.route("/<string:event_id>/registrations/<string:registration_id>/cancel", methods=["POST"])
@events.operation(schemas.Registration, body=schemas.Reason)
def cancel_registration(body, event_id, registration_id):
    """Cancel a registration (yours before the self-cancellation deadline, or any for staff).

    The first waitlisted person takes the freed seat."""
    return registrations.cancel_registration(db(), current_principal(), event_id, registration_id,
                                             body.get("reason"))


@events.route("/<string:event_id>/registrations/<string:registration_id>/approve", methods=["POST"])
@events.operation(schemas.Registration, body=schemas.Empty, roles=STAFF_ROLES)
def approve(_body, event_id, registration_id):
    """Approve a registration awaiting approval (it takes a seat, or the waiting list)."""
    return registrations.approve(db(), current_principal(), event_id, registration_id)


@events.route("/<string:event_id>/registrations/<string:registration_id>/reject", methods=["POST"])
@events.operation(schemas.Registration, body=schemas.Reason, roles=STAFF_ROLES)
def reject(body, event_id, registration_id):
    """Reject a registration awaiting approval."""
    return registrations.reject(db(), current_principal(), event_id, registration_id, body.get("reason"))


@events.route("/<string:event_id>/registrations/<string:registration_id>/attendance", methods=["POST"])
@events.operation(schemas.Registration, body=schemas.Attendance, roles=STAFF_ROLES)
def attendance(body, event_id, registration_id):
    """Check-in: record that a registrant attended (or was absent)."""
    return registrations.record_attendance(db(), current_principal(), event_id, registration_id, body["status"])


@me.route("/registrations", methods=["GET"])
@me.operation(schemas.RegistrationPage, query=schemas.RegistrationQuery)
def my_registrations(args):
    """Your registrations, newest first."""
    return registrations.my_registrations(db(), current_principal(), args)
