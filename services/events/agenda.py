"""The public agenda: published events, no token, no personal data; and its iCalendar feeds."""
from __future__ import annotations

import re

from services.events import rules
from services.events.ical import calendar
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


def agenda_item(event: dict, seats: dict | None, now, names: dict) -> dict:
    """A published event as the agenda shows it: no personal data, no video link."""
    return {
        **{k: event.get(k) for k in ("_id", "federation", "kind", "title", "theme", "agenda_items", "starts_at",
                                     "ends_at", "timezone", "format", "venue", "department", "local_group_id",
                                     "host_structure_id", "status", "capacity", "registration_deadline")},
        **rules.local_times(event),
        "local_group_name": names.get(("group", event.get("local_group_id"))),
        "host_structure_name": names.get(("structure", event.get("host_structure_id"))),
        "seats_available": seats_view(event, seats)["available"],
        "registration_open": rules.registration_refusal(event, now) is None,
    }


def agenda(db, args: dict) -> dict:
    scope = {"federation": args["federation"]} if args.get("federation") else {}
    query = event_filter(scope, {k: v for k, v in args.items() if k != "status"}, *day_range(args))
    query["status"] = args["status"] if args.get("status") else {"$in": list(PUBLIC_STATUSES)}
    page = paginate(db[EVENTS], query, args, sort=[("starts_at", 1), ("_id", 1)])
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in page["items"]]}})}
    names, now = _names(db, page["items"]), clock.now()
    page["items"] = [agenda_item(e, seats.get(e["_id"]), now, names) for e in page["items"]]
    return page


def public_event(db, event_id: str) -> dict:
    event = db[EVENTS].find_one({"_id": event_id, "status": {"$in": list(PUBLIC_STATUSES)}})
    if event is None:
        raise NotFound("event")
    return agenda_item(event, db[SEATS].find_one({"_id": event_id}), clock.now(), _names(db, [event]))


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
