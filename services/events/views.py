"""How stored documents are shown: to the API, in published events, in the public agenda."""
from __future__ import annotations

from services.events import rules

SEAT_COUNTERS = ("taken", "waitlisted", "awaiting", "attended", "absent")


def seats_view(event: dict, seats: dict | None) -> dict:
    seats = seats or {}
    capacity = event.get("capacity")
    taken = seats.get("taken", 0)
    return {"capacity": capacity, "taken": taken, "available": None if capacity is None else max(0, capacity - taken),
            "waitlisted": seats.get("waitlisted", 0), "awaiting": seats.get("awaiting", 0)}


def present_event(event: dict, seats: dict | None = None) -> dict:
    tz = event.get("timezone") or rules.DEFAULT_TZ
    out = {k: v for k, v in event.items() if k not in ("demo_ref",)}
    out["starts_at_local"] = rules.local(event["starts_at"], tz)
    out["ends_at_local"] = rules.local(event["ends_at"], tz)
    out["seats"] = seats_view(event, seats)
    return out


def event_state(event: dict) -> dict:
    """The full state published in event.* events (schemas drop what they don't document)."""
    return {**event, "agenda_items": event.get("agenda_items") or [], "speakers": event.get("speakers") or [],
            "audience": event.get("audience") or {"local_group_ids": [], "structure_kinds": [], "roles": []},
            "organizer_ids": event.get("organizer_ids") or [], "requires_approval": bool(event.get("requires_approval"))}


def recipient(registration: dict) -> dict:
    return {"registration_id": registration["_id"], "person_id": registration.get("person_id"),
            "first_name": registration.get("first_name"), "last_name": registration.get("last_name"),
            "email": registration.get("email"), "may_email": bool(registration.get("may_email")),
            "status": registration["status"]}


def registration_payload(registration: dict, event: dict, previous_status: str | None = None,
                         reason: str | None = None) -> dict:
    return {**registration, "may_email": bool(registration.get("may_email")), "previous_status": previous_status,
            "reason": reason, "event": event_state(event)}


def agenda_item(event: dict, seats: dict | None, now, names: dict) -> dict:
    tz = event.get("timezone") or rules.DEFAULT_TZ
    view = seats_view(event, seats)
    return {
        **{k: event.get(k) for k in ("_id", "federation", "kind", "title", "theme", "agenda_items", "starts_at",
                                     "ends_at", "timezone", "format", "venue", "department", "local_group_id",
                                     "host_structure_id", "status", "capacity", "registration_deadline")},
        "starts_at_local": rules.local(event["starts_at"], tz),
        "ends_at_local": rules.local(event["ends_at"], tz),
        "local_group_name": names.get(("group", event.get("local_group_id"))),
        "host_structure_name": names.get(("structure", event.get("host_structure_id"))),
        "seats_available": view["available"],
        "registration_open": rules.registration_refusal(event, now) is None,
    }
