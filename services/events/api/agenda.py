"""`/v1/agenda`: the public agenda of published events (no token, no personal data) and its iCalendar feeds."""
from __future__ import annotations

from flask import Response

from services.events import agenda as agenda_views
from services.events import schemas
from services.events.api.common import PUBLIC, db, settings
from shared.http.blueprint import Blueprint
from shared.http.downloads import content_disposition

agenda = Blueprint("agenda", __name__, url_prefix="/v1/agenda",
                   description="Public agenda of published events (no token, no personal data) and iCalendar feeds")
FEED = {**PUBLIC, "responses": {"200": {"description": "iCalendar feed", "content": {"text/calendar": {}}}}}


@agenda.route("", methods=["GET"])
@agenda.operation(schemas.AgendaPage, query=schemas.AgendaQuery, public=True)
@agenda.doc(**PUBLIC)
def public_agenda(args):
    """Published events of every federation (filters: federation, local group, department, kind, format, dates;
    `when=upcoming` soonest first, `when=past` latest first), with the .ics feed of what is listed."""
    return agenda_views.agenda(db(), args, settings())


@agenda.route("/<string:event_id>", methods=["GET"])
@agenda.operation(schemas.AgendaEvent, public=True)
@agenda.doc(**PUBLIC)
def public_event(event_id):
    """One published event's page: theme, ordre du jour, speakers, seats left, its .ics and feeds (the place
    beyond its town and the video link are for registrants: `/v1/me/events`)."""
    return agenda_views.public_event(db(), event_id, settings())


@agenda.route("/<string:event_id>.ics", methods=["GET"])
@agenda.doc(**FEED)
def event_ics(event_id):
    """One event as iCalendar, to add to a calendar (same UID as the feeds and the e-mails' .ics)."""
    return _ics(agenda_views.event_ics(db(), event_id, settings()), "evenement")


def _ics(body: bytes, name: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": content_disposition(f"{name}.ics", "inline"),
                             "Cache-Control": "max-age=300"})


@agenda.route("/federations/<string:federation>.ics", methods=["GET"])
@agenda.doc(**FEED)
def federation_feed(federation):
    """iCalendar feed of a federation's events (subscribe to it in a calendar app)."""
    return _ics(agenda_views.federation_feed(db(), federation, settings()), federation)


@agenda.route("/local-groups/<string:group_id>.ics", methods=["GET"])
@agenda.doc(**FEED)
def local_group_feed(group_id):
    """iCalendar feed of a local group's meetings."""
    return _ics(agenda_views.local_group_feed(db(), group_id, settings()), group_id)
