"""A member's own space (the web console's "mon espace"): their events upcoming or past with their registration
and waiting-list rank, "je ne pourrai pas venir" (decline), and the export of what this service keeps of them.

The caller is the token's person (`sub` = registry person id). Declining an event cancels their registration if
they hold one (the registrations' own use case, with its rules and events) and records the decline, which the
organizing federation's staff read; registering again later outweighs an earlier decline.
"""
from __future__ import annotations

from services.events import rules
from services.events.access import load_event
from services.events.registrations import cancel_registration
from services.events.store import DECLINES, EVENTS, PEOPLE, REGISTRATIONS
from shared import clock
from shared.dates import iso_dates
from shared.errors import Forbidden, RuleBroken
from shared.http.auth import Principal
from shared.me import own_person_id

ACTIVE = (rules.REGISTERED, rules.WAITLISTED, rules.AWAITING)
DECLINE_REASON = "Ne pourra pas venir"
MAX_OWN_EVENTS = 2000


def _latest_per_event(registrations: list[dict]) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for r in sorted(registrations, key=lambda r: r.get("created_at") or clock.now()):
        latest[r["event_id"]] = r
    return latest


def _event_for(event: dict, registration: dict | None, base: str) -> dict:
    seated = registration is not None and registration["status"] in rules.SEATED
    shown = {k: event.get(k) for k in ("_id", "kind", "title", "starts_at", "ends_at", "timezone", "format",
                                       "status", "theme", "federation", "local_group_id")}
    shown.update(rules.local_times(event))
    place = rules.with_place_for(event, seated)
    shown["venue"], shown["video_link"] = place.get("venue"), place.get("video_link")
    shown["ical_url"] = f"{base}/events/v1/agenda/{event['_id']}.ics"
    shown["page_url"] = f"{base}/evenements/{event['_id']}"
    return shown


def my_events(db, principal: Principal, args: dict, settings) -> dict:
    """The caller's events — registered (any status) or declined — `when=upcoming` soonest first, `past` latest
    first, or one `event_id`; each with their registration (status, waiting-list rank) or their decline."""
    person_id = own_person_id(principal)
    own = {"person_id": person_id, "federation": principal.federation}
    registrations = _latest_per_event(list(db[REGISTRATIONS].find(own).limit(MAX_OWN_EVENTS)))
    declines = {d["event_id"]: d for d in db[DECLINES].find(own).limit(MAX_OWN_EVENTS)}
    ids = sorted(set(registrations) | set(declines))
    if args.get("event_id"):
        ids = [i for i in ids if i == args["event_id"]]
    query: dict = {"_id": {"$in": ids}, "status": {"$ne": "draft"}}
    now, when = clock.now(), args.get("when")
    if when:
        query["ends_at"] = {"$gte": now} if when == "upcoming" else {"$lt": now}
    order = -1 if when == "past" else 1
    page, per_page = args.get("page", 1), args.get("per_page", 20)
    cursor = db[EVENTS].find(query).sort([("starts_at", order), ("_id", order)]).skip((page - 1) * per_page)
    base = settings.public_base_url.rstrip("/")
    items = []
    for event in cursor.limit(per_page):
        registration = registrations.get(event["_id"])
        decline = declines.get(event["_id"])
        if decline and registration and registration.get("created_at") and \
                registration["created_at"] > decline["declined_at"] and registration["status"] in ACTIVE:
            decline = None  # registered again since
        items.append({
            "event": _event_for(event, registration, base),
            "registration": registration and {
                "id": registration["_id"], "status": registration["status"],
                "waitlist_position": registration.get("waitlist_position"),
                "created_at": registration.get("created_at"), "updated_at": registration.get("updated_at")},
            "declined_at": decline["declined_at"] if decline else None,
            "may_cancel": bool(registration and registration["status"] in ACTIVE and event["status"] == "published"
                               and rules.self_cancel_refusal(event, now) is None),
        })
    return {"items": items, "total": db[EVENTS].count_documents(query), "page": page, "per_page": per_page}


def decline(db, principal: Principal, event_id: str) -> dict:
    """"Je ne pourrai pas venir": cancels the caller's registration if they hold one, records the decline.
    Idempotent; refused (409) once the event is over or no longer published."""
    person_id = own_person_id(principal)
    event = load_event(db, principal, event_id)
    if not principal.can_write(event["federation"]):
        raise Forbidden("Seul un membre de la fédération organisatrice peut décliner ses événements.")
    if event["status"] != "published" or event["ends_at"] <= clock.now():
        raise RuleBroken("Cet événement est terminé ou n'est plus ouvert : il n'y a rien à décliner.", field="status")
    active = db[REGISTRATIONS].find_one({"event_id": event_id, "person_id": person_id, "status": {"$in": list(ACTIVE)}})
    cancelled = None
    if active:
        cancelled = cancel_registration(db, principal, event_id, active["_id"], DECLINE_REASON)["_id"]
    at = clock.now()
    doc = {"event_id": event_id, "person_id": person_id, "federation": event["federation"], "declined_at": at}
    db[DECLINES].update_one({"_id": f"{event_id}:{person_id}"},
                            {"$set": {"declined_at": at, **({"cancelled_registration_id": cancelled}
                                                            if cancelled else {})},
                             "$setOnInsert": {k: v for k, v in doc.items() if k != "declined_at"}}, upsert=True)
    return {**doc, "cancelled_registration_id": cancelled}


def event_declines(db, principal: Principal, event_id: str, args: dict) -> dict:
    """Who said they would not come (the organizing federation's staff): names from the registry's copy."""
    event = load_event(db, principal, event_id, manage=not principal.is_national)
    query = {"event_id": event["_id"]}
    page, per_page = args.get("page", 1), args.get("per_page", 20)
    docs = list(db[DECLINES].find(query).sort([("declined_at", -1), ("_id", 1)]).skip((page - 1) * per_page)
                .limit(per_page))
    people = {p["_id"]: p for p in db[PEOPLE].find({"_id": {"$in": [d["person_id"] for d in docs]}},
                                                   {"first_name": 1, "last_name": 1})}
    items = [{"person_id": d["person_id"], "first_name": people.get(d["person_id"], {}).get("first_name"),
              "last_name": people.get(d["person_id"], {}).get("last_name"), "declined_at": d["declined_at"]}
             for d in docs]
    return {"items": items, "total": db[DECLINES].count_documents(query), "page": page, "per_page": per_page}



def my_export(db, principal: Principal) -> dict:
    """Everything this service keeps of the caller (GDPR, right of access): registrations and declines."""
    person_id = own_person_id(principal)
    own = {"person_id": person_id, "federation": principal.federation}
    registrations = list(db[REGISTRATIONS].find(own, {"dedup_key": 0}).sort("created_at", 1))
    titles = {e["_id"]: e.get("title") for e in db[EVENTS].find(
        {"_id": {"$in": [r["event_id"] for r in registrations]}}, {"title": 1})}
    return {"service": "events", "person_id": person_id, "exported_at": clock.now(),
            "registrations": [iso_dates({**{k: v for k, v in r.items() if k != "_id"}, "id": r["_id"],
                                      "event_title": titles.get(r["event_id"])}) for r in registrations],
            "declines": [iso_dates({k: v for k, v in d.items() if k != "_id"}) for d in db[DECLINES].find(own)]}
