"""The public agenda: published events, no token, no personal data; and its iCalendar feeds.

What the web console's public pages read: a federation's or a local group's agenda (filters kind, format,
department; upcoming first, or past latest first), an event's page (theme, *ordre du jour*, speakers — public
on the federations' flyers —, seats left), and the iCalendar URLs to subscribe to. The place (beyond its
town) and the video link are for registrants only: `/v1/me/events` shows them.
"""
from __future__ import annotations

import re

from services.events import rules
from services.events.ical import calendar, single_event
from services.events.meetings import day_range
from services.events.seats import seats_view
from services.events.store import EVENTS, LOCAL_GROUPS, SEATS, STRUCTURES, event_filter
from shared import clock
from shared.errors import NotFound
from shared.http.pagination import paginate

PUBLIC_STATUSES = ("published", "held")
# Feeds list cancelled events too, so calendars that imported them see the cancellation.
FEED_STATUSES = ("published", "held", "cancelled")


def _names(db, events: list[dict]) -> dict:
    groups = {e.get("local_group_id") for e in events} - {None}
    structures = {e.get("host_structure_id") for e in events} - {None}
    names = {("group", g["_id"]): g.get("name") for g in db[LOCAL_GROUPS].find({"_id": {"$in": list(groups)}})}
    names.update({("structure", s["_id"]): s.get("name")
                  for s in db[STRUCTURES].find({"_id": {"$in": list(structures)}})})
    return names


def _base(settings) -> str:
    return settings.public_base_url.rstrip("/")


def feed_url(settings, *, federation: str | None = None, local_group_id: str | None = None) -> str | None:
    """The iCalendar feed to subscribe to: a local group's, else a federation's."""
    if local_group_id:
        return f"{_base(settings)}/events/v1/agenda/local-groups/{local_group_id}.ics"
    if federation:
        return f"{_base(settings)}/events/v1/agenda/federations/{federation}.ics"
    return None


def agenda_item(event: dict, seats: dict | None, now, names: dict, settings) -> dict:
    """A published event as the agenda shows it: no personal data, no address, no video link."""
    return {
        **{k: event.get(k) for k in ("_id", "federation", "kind", "title", "theme", "agenda_items", "starts_at",
                                     "ends_at", "timezone", "format", "department", "local_group_id",
                                     "host_structure_id", "status", "capacity", "registration_deadline")},
        **rules.local_times(event),
        "venue": rules.public_venue(event.get("venue")),
        "local_group_name": names.get(("group", event.get("local_group_id"))),
        "host_structure_name": names.get(("structure", event.get("host_structure_id"))),
        "seats_available": seats_view(event, seats)["available"],
        "registration_open": rules.registration_refusal(event, now) is None,
        "ical_url": f"{_base(settings)}/events/v1/agenda/{event['_id']}.ics",
        "page_url": f"{_base(settings)}/evenements/{event['_id']}",
    }


def agenda(db, args: dict, settings) -> dict:
    """Published events; `when=upcoming` (not over yet, soonest first) or `past` (over, latest first)."""
    scope = {"federation": args["federation"]} if args.get("federation") else {}
    query = event_filter(scope, {k: v for k, v in args.items() if k != "status"}, *day_range(args))
    query["status"] = args["status"] if args.get("status") else {"$in": list(PUBLIC_STATUSES)}
    if args.get("format"):
        query["format"] = args["format"]
    when, now = args.get("when"), clock.now()
    if when:
        query["ends_at"] = {"$gte": now} if when == "upcoming" else {"$lt": now}
    order = -1 if when == "past" else 1
    page = paginate(db[EVENTS], query, args, sort=[("starts_at", order), ("_id", order)])
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in page["items"]]}})}
    names = _names(db, page["items"])
    page["items"] = [agenda_item(e, seats.get(e["_id"]), now, names, settings) for e in page["items"]]
    page["feed_url"] = feed_url(settings, federation=args.get("federation"), local_group_id=args.get("local_group_id"))
    return page


def _published(db, event_id: str, statuses=PUBLIC_STATUSES) -> dict:
    event = db[EVENTS].find_one({"_id": event_id, "status": {"$in": list(statuses)}})
    if event is None:
        raise NotFound("event")
    return event


def public_event(db, event_id: str, settings) -> dict:
    """An event's public page: the agenda item, its speakers and the feeds it is in."""
    event = _published(db, event_id)
    item = agenda_item(event, db[SEATS].find_one({"_id": event_id}), clock.now(), _names(db, [event]), settings)
    item["speakers"] = [{k: s.get(k) for k in ("name", "organization", "topic")} for s in event.get("speakers") or []]
    item["feed_urls"] = {"federation": feed_url(settings, federation=event["federation"]),
                         "local_group": feed_url(settings, local_group_id=event.get("local_group_id"))}
    return item


def event_ics(db, event_id: str, settings) -> bytes:
    """One event as iCalendar (a cancelled one too, so the calendar that holds it hears of it)."""
    event = _published(db, event_id, FEED_STATUSES)
    return single_event(event, _names(db, [event]), settings.public_base_url)


FEED_LIMIT = 500


def _feed(db, query: dict, name: str, settings) -> bytes:
    events = list(db[EVENTS].find({**query, "status": {"$in": list(FEED_STATUSES)}})
                  .sort([("starts_at", -1)]).limit(FEED_LIMIT))
    return calendar(events, name, _names(db, events), settings.public_base_url)


FEDERATION_CODE = re.compile(r"^[a-z0-9-]{2,40}$")


def federation_feed(db, federation: str, settings) -> bytes:
    if not FEDERATION_CODE.match(federation):
        raise NotFound("federation")  # a feed named after whatever the caller typed would let them pick its title
    return _feed(db, {"federation": federation}, f"Agenda {federation}", settings)


def local_group_feed(db, group_id: str, settings) -> bytes:
    group = db[LOCAL_GROUPS].find_one({"_id": group_id, "deleted": {"$ne": True}})
    name = (group or {}).get("name") or "groupe local"  # never the id the caller typed
    return _feed(db, {"local_group_id": group_id}, f"Agenda — {name}", settings)
