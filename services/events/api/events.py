"""`/v1/events`: events and meetings of a federation (create, change, publish, cancel, hold, next meeting)."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from services.events import meetings, schemas
from services.events.access import load_event
from services.events.api.common import created, db
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import expected_version, with_etag

# Registrations (`api/registrations.py`) are routes of this blueprint too: they live under an event.
events = Blueprint("events", __name__, url_prefix="/v1/events",
                   description="Events and meetings of a federation, their registrations and attendance")


def _version_if_matched(event_id: str) -> int:
    return expected_version(load_event(db(), current_principal(), event_id, manage=True))


def _event(doc: dict):
    return with_etag(doc, doc)


def _new_event(doc: dict):
    return created(doc, url_for("events.Event", event_id=doc["_id"]))


@events.route("")
class Events(MethodView):
    @events.operation(schemas.EventPage, query=schemas.EventQuery)
    def get(self, args):
        """List events (filters, date range, pagination); staff also see drafts."""
        return meetings.list_events(db(), current_principal(), args)

    @events.operation(schemas.Event, status=201, body=schemas.EventCreate, roles=STAFF_ROLES)
    def post(self, data):
        """Create an event (a draft; publish it to open registrations)."""
        return _new_event(meetings.create_event(db(), current_principal(), data))


@events.route("/<string:event_id>")
class Event(MethodView):
    @events.operation(schemas.Event)
    def get(self, event_id):
        """One event, with its seats and ETag."""
        return _event(meetings.get_event(db(), current_principal(), event_id))

    @events.operation(schemas.Event, body=schemas.EventPatch(partial=True), roles=STAFF_ROLES, if_match=True)
    def patch(self, changes, event_id):
        """Change an event (send `If-Match`). On a published event, a time or place change is a reschedule."""
        version = _version_if_matched(event_id)
        return _event(meetings.update_event(db(), current_principal(), event_id, changes, version))


@events.route("/<string:event_id>/publish", methods=["POST"])
@events.operation(schemas.Event, body=schemas.Empty, roles=STAFF_ROLES)
def publish(_body, event_id):
    """Publish a draft: it enters the agenda and opens registrations."""
    return _event(meetings.publish_event(db(), current_principal(), event_id, _version_if_matched(event_id)))


@events.route("/<string:event_id>/invitations", methods=["POST"])
@events.operation(schemas.Event, body=schemas.Invitations, roles=STAFF_ROLES, if_match=True)
def invite(body, event_id):
    """Invite more people to a published event (local groups, structure kinds, roles): they join its audience,
    and those of them not invited yet get the invitation with its .ics."""
    return _event(meetings.invite(db(), current_principal(), event_id, body, _version_if_matched(event_id)))


@events.route("/<string:event_id>/cancel", methods=["POST"])
@events.operation(schemas.Event, body=schemas.CancelEvent, roles=STAFF_ROLES)
def cancel(body, event_id):
    """Cancel an event with a reason; everyone registered is notified."""
    return _event(meetings.cancel_event(db(), current_principal(), event_id, body["reason"],
                                        _version_if_matched(event_id)))


@events.route("/<string:event_id>/hold", methods=["POST"])
@events.operation(schemas.Event, body=schemas.Empty, roles=STAFF_ROLES)
def hold(_body, event_id):
    """Mark a published event as held (once it has started)."""
    return _event(meetings.hold_event(db(), current_principal(), event_id, _version_if_matched(event_id)))


@events.route("/<string:event_id>/next", methods=["POST"])
@events.operation(schemas.Event, status=201, body=schemas.NextMeeting, roles=STAFF_ROLES)
def schedule_next(body, event_id):
    """Schedule the next meeting of a series from a held one (the date is set at the end of each meeting)."""
    return _new_event(meetings.schedule_next(db(), current_principal(), event_id, body))


@events.route("/<string:event_id>/replay-views", methods=["POST"])
@events.operation(schemas.Event, body=schemas.ReplayViews, roles=STAFF_ROLES)
def replay_views(body, event_id):
    """Add replay views to a webinar."""
    return _event(meetings.record_replay_views(db(), current_principal(), event_id, body["views"]))
