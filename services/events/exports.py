"""Staff documents of one meeting: registrants and attendance as XLSX (French headers), the check-in search
by name (a phone at the door), and the go / no-go board of the meetings ahead.

Only the organizing federation's staff (and national readers) see who registered.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from services.events import rules
from services.events.access import load_event
from services.events.ical import KIND_LABELS
from services.events.store import EVENTS, PEOPLE, REGISTRATIONS, SEATS, STRUCTURES
from shared import clock
from shared.access import require_manager
from shared.http.auth import Principal
from shared.report_document import Report, Table

STATUS_LABELS = {"registered": "inscrit", "waitlisted": "liste d'attente", "awaiting_approval": "en attente de validation",
                 "cancelled": "désinscrit", "rejected": "refusé", "attended": "présent", "absent": "absent"}
MAX_ROWS = 5000


def staff_event(db, principal: Principal, event_id: str) -> dict:
    event = load_event(db, principal, event_id)
    if not principal.is_national:
        require_manager(principal, event["federation"], "Seule l'équipe de la fédération voit qui est inscrit.")
    return event


def fold(text: str | None) -> str:
    """Lower case without accents: « Guérin » is found by « guer »."""
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower().strip()


def registrants(db, event_id: str, statuses=None) -> list[dict]:
    query = {"event_id": event_id, **({"status": {"$in": list(statuses)}} if statuses else {})}
    rows = list(db[REGISTRATIONS].find(query).sort([("last_name", 1), ("first_name", 1), ("_id", 1)])
                .limit(MAX_ROWS))
    structures = _structures_of(db, [r["person_id"] for r in rows if r.get("person_id")])
    for row in rows:
        row["structure"] = row.get("organization") or structures.get(row.get("person_id"))
    return sorted(rows, key=lambda r: (fold(r.get("last_name")), fold(r.get("first_name")), r["_id"]))


def _structures_of(db, person_ids: list[str]) -> dict[str, str]:
    """Each person's structure(s) as the projection knows them (role active today)."""
    today = clock.today()
    people = list(db[PEOPLE].find({"_id": {"$in": person_ids}}, {"roles": 1}))
    ids = {r.get("structure_id") for p in people for r in p.get("roles") or [] if r.get("structure_id")}
    names = {s["_id"]: s.get("name") for s in db[STRUCTURES].find({"_id": {"$in": list(ids)}}, {"name": 1})}
    out = {}
    for p in people:
        held = [names.get(r["structure_id"]) for r in p.get("roles") or []
                if r.get("structure_id") and _active(r, today) and names.get(r["structure_id"])]
        out[p["_id"]] = ", ".join(dict.fromkeys(held))
    return out


def _active(role: dict, day: dt.date) -> bool:
    from shared.roles import role_active_on
    return role_active_on(role, day)


def _local(at, event: dict):
    return rules.local(at, event.get("timezone") or rules.DEFAULT_TZ).replace(tzinfo=None) if at else None


def _title(event: dict) -> str:
    start = rules.local_times(event)["starts_at_local"]
    return f"{event['title']} — {start.strftime('%d/%m/%Y %H:%M')}"


def registrants_report(db, principal: Principal, event_id: str) -> Report:
    event = staff_event(db, principal, event_id)
    rows = [[r.get("last_name") or "", r.get("first_name") or "", r.get("email") or "", r.get("structure") or "",
             STATUS_LABELS.get(r["status"], r["status"]), r.get("waitlist_position"),
             "invité extérieur" if r.get("guest") else "réseau", r.get("created_at")]
            for r in registrants(db, event_id)]
    return Report(f"Inscrits — {event['title']}", _title(event), [Table(
        "Inscrits", ["Nom", "Prénom", "E-mail", "Structure", "Statut", "Rang en liste d'attente", "Origine",
                     "Inscrit le"], rows)])


def attendance_report(db, principal: Principal, event_id: str) -> Report:
    event = staff_event(db, principal, event_id)
    rows = [[r.get("last_name") or "", r.get("first_name") or "", r.get("structure") or "",
             {"attended": "présent", "absent": "absent"}.get(r["status"], "non pointé"), checked_at(r, event)]
            for r in registrants(db, event_id, rules.SEATED)]
    present = sum(1 for r in rows if r[3] == "présent")
    return Report(f"Présences — {event['title']}", _title(event), [Table(
        "Présences", ["Nom", "Prénom", "Structure", "Présence", "Pointé le"], rows,
        note=f"{present} présent(s) sur {len(rows)} inscrit(s)")])


def checked_at(registration: dict, event: dict):
    """When the attendance was recorded (local time of the event), None when not yet."""
    if registration["status"] not in (rules.ATTENDED, rules.ABSENT):
        return None
    at = next((h["at"] for h in reversed(registration.get("history") or []) if h.get("status") == registration["status"]),
              None)
    return rules.local(at, event.get("timezone") or rules.DEFAULT_TZ).replace(tzinfo=None) if at else None


def check_in_search(db, principal: Principal, event_id: str, q: str) -> list[dict]:
    """Registrants (seated) whose first or last name starts with each word of `q`, for a one-tap check-in."""
    staff_event(db, principal, event_id)
    words = fold(q).split()
    found = []
    for r in registrants(db, event_id, rules.SEATED):
        names = fold(f"{r.get('first_name') or ''} {r.get('last_name') or ''}").replace("-", " ").split()
        if all(any(n.startswith(w) for n in names) for w in words):
            found.append({"registration_id": r["_id"], "first_name": r.get("first_name"),
                          "last_name": r.get("last_name"), "structure": r.get("structure"), "status": r["status"]})
    return found[:50]


def go_no_go(db, principal: Principal, args: dict) -> list[dict]:
    """Published meetings ahead that have a minimum: registered vs minimum, days left, and the verdict
    (`go`: reached; `at_risk`: not yet, before its deadline; `no_go`: deadline passed, still short)."""
    now = clock.now()
    query = {**principal.scope(args.get("federation")), "status": "published", "min_participants": {"$gt": 0},
             "ends_at": {"$gte": now}}
    events = list(db[EVENTS].find(query).sort([("starts_at", 1), ("_id", 1)]).limit(500))
    seats = {s["_id"]: s for s in db[SEATS].find({"_id": {"$in": [e["_id"] for e in events]}})}
    out = []
    for e in events:
        taken = (seats.get(e["_id"]) or {}).get("taken", 0)
        deadline = e.get("minimum_deadline") or e["starts_at"]
        verdict = "go" if taken >= e["min_participants"] else ("no_go" if now >= deadline else "at_risk")
        out.append({"event_id": e["_id"], "title": e["title"], "kind": e["kind"], "kind_label": KIND_LABELS.get(e["kind"]),
                    "starts_at": e["starts_at"], "decision_by": deadline, "registered": taken,
                    "min_participants": e["min_participants"], "missing": max(0, e["min_participants"] - taken),
                    "days_left": max(0, (deadline - now).days), "status": verdict,
                    "warned_at": e.get("minimum_warned_at")})
    return out
