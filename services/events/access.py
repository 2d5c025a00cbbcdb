"""Who may see and change what: every use case loads its event or registration through here.

Another federation's event or registration is 404, like a missing one; drafts are for staff (and national
roles); the organizing federation's staff manage; national roles read, never write.
"""
from __future__ import annotations

from services.events.store import EVENTS, REGISTRATIONS
from shared.access import load_or_404, require_manager
from shared.errors import Forbidden, NotFound
from shared.http.auth import Principal


def load_event(db, principal: Principal, event_id: str, *, manage: bool = False) -> dict:
    """The event if the caller may see it, else NotFound. `manage`: its federation's staff only (403)."""
    event = load_or_404(db, EVENTS, event_id, principal, what="event")
    if event["status"] == "draft" and not (principal.is_national or principal.is_staff):
        raise NotFound("event")
    if manage:
        require_manager(principal, event["federation"], "Seule l'équipe de la fédération organisatrice gère cet événement.")
    return event


def load_registration(db, principal: Principal, event_id: str, registration_id: str, *, manage: bool = False,
                      change: bool = False):
    """(event, registration, caller is staff) if the caller may see it (staff, the registrant, national roles),
    else NotFound.

    `change`: the registrant or the organizing federation's staff only — a national role reads, never writes.
    `manage`: the organizing federation's staff only.
    """
    event = load_event(db, principal, event_id)
    registration = db[REGISTRATIONS].find_one({"_id": registration_id, "event_id": event_id})
    staff = principal.manages(event["federation"])
    own = (registration is not None and registration.get("person_id") == principal.sub
           and principal.can_write(registration["federation"]))
    if registration is None or not (staff or own or principal.is_national):
        raise NotFound("registration")
    if manage:
        require_manager(principal, event["federation"], "Seule l'équipe de la fédération organisatrice peut faire cela.")
    if change and not (staff or own):
        raise Forbidden("Seuls la personne inscrite et l'équipe de la fédération organisatrice modifient une "
                        "inscription ; les rôles nationaux la consultent.")
    return event, registration, staff
