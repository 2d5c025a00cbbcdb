"""A member's own space: `/v1/me/events` (upcoming / past, with registration and waiting-list rank),
`/v1/me/export` (GDPR), `/v1/events/<id>/decline` ("je ne pourrai pas venir") and its staff list."""
from __future__ import annotations

from services.events import my_space
from services.events.api.common import db, settings
from services.events.schemas import Empty
from services.events.schemas.my_space import DeclinePage, DeclineResult, MyEventPage, MyEventsExport, MyEventsQuery
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint
from shared.http.pagination import PageArgs

my_space_routes = Blueprint("my_space", __name__, url_prefix="/v1",
                            description="A member's own space: their events, declines, their data")


@my_space_routes.route("/me/events", methods=["GET"])
@my_space_routes.operation(MyEventPage, query=MyEventsQuery)
def my_events(args):
    """Your events — registered (any status, with your waiting-list rank) or declined —, upcoming soonest first
    (`when=upcoming`) or past latest first (`when=past`); the place and video link once you have a seat."""
    return my_space.my_events(db(), current_principal(), args, settings())


@my_space_routes.route("/me/export", methods=["GET"])
@my_space_routes.operation(MyEventsExport)
def my_export():
    """Everything the events service keeps of you (GDPR right of access): registrations and declines."""
    return my_space.my_export(db(), current_principal())


@my_space_routes.route("/events/<string:event_id>/decline", methods=["POST"])
@my_space_routes.operation(DeclineResult, body=Empty, alt={409: "The event is over or no longer open"})
def decline(_body, event_id):
    """"Je ne pourrai pas venir": cancels your registration if you hold one and tells the organizers.
    Idempotent."""
    return my_space.decline(db(), current_principal(), event_id)


@my_space_routes.route("/events/<string:event_id>/declines", methods=["GET"])
@my_space_routes.operation(DeclinePage, query=PageArgs)
def declines(args, event_id):
    """Who said they would not come (the organizing federation's staff, national readers)."""
    return my_space.event_declines(db(), current_principal(), event_id, args)
