"""iCalendar (RFC 5545) feeds of published events, with the icalendar library.

UIDs are stable (`<event id>@maillage`), SEQUENCE follows the event's version, so calendar apps
update an event in place when it is rescheduled or cancelled. Text is French (people read it).
"""
from __future__ import annotations

from icalendar import Calendar, Event, vText

from services.events import rules
from shared import clock
from shared.http.text import one_line

KIND_LABELS = {
    "local_group_meeting": "Rencontre de groupe local", "regional_day": "Journée régionale",
    "seminar": "Séminaire", "webinar": "Webinaire", "facilitation": "Facilitation",
    "partner_meeting": "Rencontre partenariale", "training_day": "Journée de formation",
}
FORMAT_LABELS = {"in_person": "en présentiel", "video": "en visioconférence", "hybrid": "présentiel et visio"}
STATUS = {"published": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def uid(event_id: str) -> str:
    return f"{event_id}@maillage"


def _where(event: dict) -> str | None:
    """The town only: these calendars are public, the address and the video link are for registrants (their
    e-mails' `.ics` carry them)."""
    venue = event.get("venue") or {}
    town = " ".join(p for p in (venue.get("postal_code"), venue.get("city")) if p)
    if event.get("format") == "video":
        return "Visioconférence"
    if event.get("format") == "hybrid":
        return f"{town} et visioconférence" if town else "Visioconférence"
    return town or None


def _description(event: dict, names: dict) -> str:
    lines = [f"{KIND_LABELS.get(event['kind'], event['kind'])} — {FORMAT_LABELS.get(event.get('format'), '')}".strip(" —")]
    if event.get("theme"):
        lines.append(f"Thème : {event['theme']}")
    group = names.get(("group", event.get("local_group_id")))
    if group:
        lines.append(f"Groupe local : {group}")
    host = names.get(("structure", event.get("host_structure_id")))
    if host:
        lines.append(f"Accueil : {host}")
    if event.get("agenda_items"):
        lines.append("Programme :")
        lines.extend(f"• {item}" for item in event["agenda_items"])
    if event.get("status") == "cancelled":
        lines.append(f"ANNULÉ : {event.get('cancel_reason') or 'sans motif précisé'}")
    return "\n".join(lines)


def vevent(event: dict, names: dict, base_url: str) -> Event:
    when = rules.local_times(event)
    item = Event()
    item.add("uid", uid(event["_id"]))
    item.add("sequence", int(event.get("version", 1)))
    item.add("dtstamp", event.get("updated_at") or clock.now())
    item.add("dtstart", when["starts_at_local"])
    item.add("dtend", when["ends_at_local"])
    title = event["title"] if event.get("status") != "cancelled" else f"ANNULÉ — {event['title']}"
    item.add("summary", title)
    item.add("description", _description(event, names))
    where = _where(event)
    if where:
        item.add("location", vText(where))
    item.add("status", STATUS.get(event.get("status"), "TENTATIVE"))
    item.add("url", f"{base_url.rstrip('/')}/evenements/{event['_id']}")  # the event's page in the web console
    item.add("categories", [KIND_LABELS.get(event["kind"], event["kind"])])
    return item


def single_event(event: dict, names: dict, base_url: str) -> bytes:
    """One event to add to a calendar ("ajouter à mon agenda"); same UID as the feeds and the e-mails' `.ics`."""
    return calendar([event], event["title"], names, base_url)


def calendar(events: list[dict], name: str, names: dict, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Maillage//Agenda des fédérations//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(one_line(name, 120)))  # escaped, on one line: names come from people
    cal.add("x-wr-timezone", rules.DEFAULT_TZ)
    for event in events:
        cal.add_component(vevent(event, names, base_url))
    if events:
        cal.add_missing_timezones()
    return cal.to_ical()
