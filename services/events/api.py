"""Events HTTP routes (`/events/v1/...`)."""
from __future__ import annotations

from flask import Response, current_app, url_for
from flask.views import MethodView

from services.events import agenda as agenda_views
from services.events import guests as guest_erasure
from services.events import registrations, schemas, service
from services.events.stats import stats as compute_stats
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal, requires
from shared.http.blueprint import Blueprint
from shared.http.downloads import content_disposition
from shared.http.errors import abort
from shared.http.etag import etag_of, expected_version

events = Blueprint("events", __name__, url_prefix="/v1/events",
                   description="Events and meetings of a federation, their registrations and attendance")
me = Blueprint("me", __name__, url_prefix="/v1/me", description="What the signed-in person registered for")
agenda = Blueprint("agenda", __name__, url_prefix="/v1/agenda",
                   description="Public agenda of published events (no token, no personal data) and iCalendar feeds")
figures = Blueprint("stats", __name__, url_prefix="/v1/stats", description="Figures federations report")
guests = Blueprint("guests", __name__, url_prefix="/v1/guests",
                   description="Outside guests' erasure (by staff, or by the guest through the link in their e-mails)")

PUBLIC = {"security": []}


def _db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def _settings():
    return current_app.config["MAILLAGE_SETTINGS"]


def _with_etag(doc: dict, status: int = 200, **headers):
    return doc, status, {"ETag": etag_of(doc), **headers}


def _version_if_matched(event_id: str) -> int:
    return expected_version(service.load_event(_db(), current_principal(), event_id, manage=True))


# --- events ---------------------------------------------------------------------------------------

@events.route("")
class Events(MethodView):
    @events.arguments(schemas.EventQuery, location="query")
    @events.response(200, schemas.EventPage)
    @requires()
    def get(self, args):
        """List events (filters, date range, pagination); staff also see drafts."""
        return service.list_events(_db(), current_principal(), args)

    @events.arguments(schemas.EventCreate)
    @events.response(201, schemas.Event)
    @requires(*STAFF_ROLES)
    def post(self, data):
        """Create an event (a draft; publish it to open registrations)."""
        doc = service.create_event(_db(), current_principal(), data)
        return _with_etag(doc, 201, Location=url_for("events.Event", event_id=doc["_id"]))


@events.route("/<string:event_id>")
class Event(MethodView):
    @events.response(200, schemas.Event)
    @requires()
    def get(self, event_id):
        """One event, with its seats and ETag."""
        return _with_etag(service.get_event(_db(), current_principal(), event_id))

    @events.arguments(schemas.EventPatch(partial=True))
    @events.response(200, schemas.Event)
    @events.alt_response(412, description="If-Match does not match the current ETag")
    @requires(*STAFF_ROLES)
    def patch(self, changes, event_id):
        """Change an event (send `If-Match`). On a published event, a time or place change is a reschedule."""
        version = _version_if_matched(event_id)
        return _with_etag(service.update_event(_db(), current_principal(), event_id, changes, version))


@events.route("/<string:event_id>/publish", methods=["POST"])
@events.arguments(schemas.Empty)
@events.response(200, schemas.Event)
@requires(*STAFF_ROLES)
def publish(_body, event_id):
    """Publish a draft: it enters the agenda and opens registrations."""
    return _with_etag(service.publish_event(_db(), current_principal(), event_id, _version_if_matched(event_id)))


@events.route("/<string:event_id>/cancel", methods=["POST"])
@events.arguments(schemas.CancelEvent)
@events.response(200, schemas.Event)
@requires(*STAFF_ROLES)
def cancel(body, event_id):
    """Cancel an event with a reason; everyone registered is notified."""
    return _with_etag(service.cancel_event(_db(), current_principal(), event_id, body["reason"],
                                           _version_if_matched(event_id)))


@events.route("/<string:event_id>/hold", methods=["POST"])
@events.arguments(schemas.Empty)
@events.response(200, schemas.Event)
@requires(*STAFF_ROLES)
def hold(_body, event_id):
    """Mark a published event as held (once it has started)."""
    return _with_etag(service.hold_event(_db(), current_principal(), event_id, _version_if_matched(event_id)))


@events.route("/<string:event_id>/next", methods=["POST"])
@events.arguments(schemas.NextMeeting)
@events.response(201, schemas.Event)
@requires(*STAFF_ROLES)
def schedule_next(body, event_id):
    """Schedule the next meeting of a series from a held one (the date is set at the end of each meeting)."""
    doc = service.schedule_next(_db(), current_principal(), event_id, body)
    return _with_etag(doc, 201, Location=url_for("events.Event", event_id=doc["_id"]))


@events.route("/<string:event_id>/replay-views", methods=["POST"])
@events.arguments(schemas.ReplayViews)
@events.response(200, schemas.Event)
@requires(*STAFF_ROLES)
def replay_views(body, event_id):
    """Add replay views to a webinar."""
    return _with_etag(service.record_replay_views(_db(), current_principal(), event_id, body["views"]))


# --- registrations --------------------------------------------------------------------------------

@events.route("/<string:event_id>/registrations")
class Registrations(MethodView):
    @events.arguments(schemas.RegistrationQuery, location="query")
    @events.response(200, schemas.RegistrationPage)
    @requires()
    def get(self, args, event_id):
        """Who registered (staff of the organizing federation, national)."""
        return registrations.list_registrations(_db(), current_principal(), event_id, args)

    @events.arguments(schemas.RegistrationCreate)
    @events.response(201, schemas.Registration)
    @requires()
    def post(self, data, event_id):
        """Register: yourself (empty body), or — staff — a registry person or an outside guest.

        Lands as registered, waitlisted (event full) or awaiting approval."""
        doc = registrations.register(_db(), current_principal(), event_id, data)
        return doc, 201, {"Location": url_for("events.Registration", event_id=event_id, registration_id=doc["_id"])}


@events.route("/<string:event_id>/registrations/<string:registration_id>")
class Registration(MethodView):
    @events.response(200, schemas.Registration)
    @requires()
    def get(self, event_id, registration_id):
        """One registration (yours, or any for staff)."""
        return registrations.get_registration(_db(), current_principal(), event_id, registration_id)


@events.route("/<string:event_id>/registrations/<string:registration_id>/cancel", methods=["POST"])
@events.arguments(schemas.Reason)
@events.response(200, schemas.Registration)
@requires()
def cancel_registration(body, event_id, registration_id):
    """Cancel a registration (yours before the self-cancellation deadline, or any for staff).

    The first waitlisted person takes the freed seat."""
    return registrations.cancel_registration(_db(), current_principal(), event_id, registration_id,
                                             body.get("reason"))


@events.route("/<string:event_id>/registrations/<string:registration_id>/approve", methods=["POST"])
@events.arguments(schemas.Empty)
@events.response(200, schemas.Registration)
@requires(*STAFF_ROLES)
def approve(_body, event_id, registration_id):
    """Approve a registration awaiting approval (it takes a seat, or the waiting list)."""
    return registrations.approve(_db(), current_principal(), event_id, registration_id)


@events.route("/<string:event_id>/registrations/<string:registration_id>/reject", methods=["POST"])
@events.arguments(schemas.Reason)
@events.response(200, schemas.Registration)
@requires(*STAFF_ROLES)
def reject(body, event_id, registration_id):
    """Reject a registration awaiting approval."""
    return registrations.reject(_db(), current_principal(), event_id, registration_id, body.get("reason"))


@events.route("/<string:event_id>/registrations/<string:registration_id>/attendance", methods=["POST"])
@events.arguments(schemas.Attendance)
@events.response(200, schemas.Registration)
@requires(*STAFF_ROLES)
def attendance(body, event_id, registration_id):
    """Check-in: record that a registrant attended (or was absent)."""
    return registrations.record_attendance(_db(), current_principal(), event_id, registration_id, body["status"])


@me.route("/registrations", methods=["GET"])
@me.arguments(schemas.RegistrationQuery, location="query")
@me.response(200, schemas.RegistrationPage)
@requires()
def my_registrations(args):
    """Your registrations, newest first."""
    return registrations.my_registrations(_db(), current_principal(), args)


# --- public agenda --------------------------------------------------------------------------------

@agenda.route("", methods=["GET"])
@agenda.arguments(schemas.AgendaQuery, location="query")
@agenda.response(200, schemas.AgendaPage)
@agenda.doc(**PUBLIC)
def public_agenda(args):
    """Published events of every federation (filters: federation, department, local group, kind, dates)."""
    return agenda_views.agenda(_db(), args)


@agenda.route("/<string:event_id>", methods=["GET"])
@agenda.response(200, schemas.AgendaItem)
@agenda.doc(**PUBLIC)
def public_event(event_id):
    """One published event, as the agenda shows it."""
    return agenda_views.public_event(_db(), event_id)


def _ics(body: bytes, name: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": content_disposition(f"{name}.ics", "inline"),
                             "Cache-Control": "max-age=300"})


@agenda.route("/federations/<string:federation>.ics", methods=["GET"])
@agenda.doc(**PUBLIC, responses={"200": {"description": "iCalendar feed", "content": {"text/calendar": {}}}})
def federation_feed(federation):
    """iCalendar feed of a federation's events (subscribe to it in a calendar app)."""
    return _ics(agenda_views.federation_feed(_db(), federation, _settings()), federation)


@agenda.route("/local-groups/<string:group_id>.ics", methods=["GET"])
@agenda.doc(**PUBLIC, responses={"200": {"description": "iCalendar feed", "content": {"text/calendar": {}}}})
def local_group_feed(group_id):
    """iCalendar feed of a local group's meetings."""
    return _ics(agenda_views.local_group_feed(_db(), group_id, _settings()), group_id)


# --- figures --------------------------------------------------------------------------------------

@figures.route("", methods=["GET"])
@figures.arguments(schemas.StatsQuery, location="query")
@figures.response(200, schemas.Stats)
@requires(NATIONAL, *STAFF_ROLES)
def get_stats(args):
    """Per year and department: events by kind, registrations vs attendance, local groups'
    participation, facilitations by type, cancellations."""
    principal = current_principal()
    if args.get("federation") and not principal.can_read(args["federation"]):
        abort(404, "federation not found")
    return compute_stats(_db(), principal.scope(args.get("federation")), args)


# --- guests ---------------------------------------------------------------------------------------

@guests.route("/erase", methods=["POST"])
@guests.arguments(schemas.GuestErase)
@guests.response(200, schemas.GuestErased)
@requires(*STAFF_ROLES)
def erase_guest(body):
    """Erase an outside guest of your federation by e-mail: their registrations keep no personal data."""
    return guest_erasure.erase_by_staff(_db(), current_principal(), body["email"])


@guests.route("/erasure", methods=["GET"])
@guests.arguments(schemas.GuestErasureQuery, location="query")
@guests.response(200, schemas.GuestErasurePreview)
@guests.doc(**PUBLIC)
def guest_erasure_preview(args):
    """What the erasure link of a guest's e-mail would erase (no token: the link is the proof)."""
    return guest_erasure.describe_link(_db(), _settings(), args["token"])


@guests.route("/erasure", methods=["POST"])
@guests.arguments(schemas.GuestErasureLink)
@guests.response(200, schemas.GuestErased)
@guests.doc(**PUBLIC)
def guest_erasure_by_link(body):
    """Erase yourself, an outside guest, with the link of your e-mails."""
    return guest_erasure.erase_by_link(_db(), _settings(), body["token"])


BLUEPRINTS = [events, me, agenda, figures, guests]
