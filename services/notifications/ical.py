"""iCalendar attachments (RFC 5545 / iTIP RFC 5546) for event-related e-mails.

One UID per calendar item (`<item id>@maillage`), so a calendar updates the entry it already has
instead of adding a second one; SEQUENCE grows with every change of time or place; METHOD:REQUEST
for invitations and updates, METHOD:CANCEL (STATUS:CANCELLED) when it is cancelled.
"""
from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from icalendar import Calendar, Event, vCalAddress, vText

from services.notifications.rules import as_utc
from shared import clock

PRODID = "-//Maillage//Notifications//FR"


def uid_for(item_id: str) -> str:
    return f"{item_id}@maillage"


def attachment_name(method: str | None, category: str | None = None) -> str:
    """The .ics file name says what it does to the calendar (French, as people read it)."""
    if method == "CANCEL":
        return "annulation.ics"
    if method == "PUBLISH":
        return "calendrier.ics"
    return {"rescheduling": "changement.ics", "registration": "inscription.ics",
            "training": "seminaire.ics"}.get(category or "", "invitation.ics")


def build_ics(item: dict | list[dict], *, method: str, attendee: dict | None, organizer: str,
              now: dt.datetime | None = None) -> bytes:
    """`item` is a calendar projection document: _id, title, starts_at, ends_at, location, video_url,
    description, url, ical_sequence. Several items (a programme's seminars) go in one PUBLISH."""
    items = item if isinstance(item, list) else [item]
    if method not in ("REQUEST", "CANCEL", "PUBLISH") or not items or (len(items) > 1 and method != "PUBLISH"):
        raise ValueError(method)
    now = now or clock.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    for one in items:
        cal.add_component(_vevent(one, method, attendee, organizer, now))
    return cal.to_ical()


def _vevent(item: dict, method: str, attendee: dict | None, organizer: str, now: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", uid_for(item["_id"]))
    ev.add("sequence", int(item.get("ical_sequence") or 0))
    ev.add("dtstamp", now.astimezone(dt.timezone.utc))
    start = as_utc(item["starts_at"])
    ev.add("dtstart", start)
    ev.add("dtend", as_utc(item.get("ends_at")) or start + dt.timedelta(hours=2))
    ev.add("summary", item.get("title") or "Événement")
    video = item.get("video_url") if method != "CANCEL" else None  # nobody joins a cancelled meeting
    location = item.get("location") or video
    if location:
        ev.add("location", location)
    description = "\n".join(x for x in (item.get("description"), video and f"Lien de connexion : {video}") if x)
    if description:
        ev.add("description", description)
    if item.get("url"):
        ev.add("url", item["url"])
    name, address = parseaddr(organizer)
    org = vCalAddress(f"mailto:{address or organizer}")
    org.params["cn"] = vText(name or "Maillage")
    ev.add("organizer", org)
    if attendee and attendee.get("email"):
        att = vCalAddress(f"mailto:{attendee['email']}")
        if attendee.get("name"):
            att.params["cn"] = vText(attendee["name"])
        att.params["role"] = vText("REQ-PARTICIPANT")
        att.params["rsvp"] = vText("FALSE")
        ev.add("attendee", att)
    ev.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    return ev


def parse_ics(data: bytes) -> dict:
    """The fields tests and the preview look at: method, uid, sequence, start, end, status, summary."""
    cal = Calendar.from_ical(data)
    event = next(iter(cal.walk("VEVENT")))
    return _fields(cal, event)


def parse_all(data: bytes) -> list[dict]:
    cal = Calendar.from_ical(data)
    return [_fields(cal, event) for event in cal.walk("VEVENT")]


def _fields(cal, event) -> dict:
    return {
        "method": str(cal.get("method")),
        "uid": str(event.get("uid")),
        "sequence": int(event.get("sequence", 0)),
        "start": event.decoded("dtstart"),
        "end": event.decoded("dtend"),
        "status": str(event.get("status")),
        "summary": str(event.get("summary")),
    }
