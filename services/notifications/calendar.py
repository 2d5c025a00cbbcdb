"""The calendar projection: what an .ics and a reminder need of the events' meetings and training's
seminars (title, start, end, place, status, version), who registered (events) and who learns (training);
reminders follow what it holds (armed, moved, dropped).

Each `project_*` is the projection step of a route (handlers.ROUTES): it returns False for an event older
than what we hold (its messages would tell something outdated) and leaves in `ctx.item` the item the
messages are about."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.notifications import reminders
from services.notifications.rules import as_utc
from services.notifications.contexts import Ctx
from services.notifications.recipients import audience, audience_matching, resolve
from services.notifications.store import CALENDAR, LEARNERS, REGISTRATIONS
from shared.projection import apply_if_newer

TIMEZONE = "Europe/Paris"
# A seminar's hours when training's event does not carry them (`starts_at` / `ends_at`, optional): a full day.
SEMINAR_HOURS = (dt.time(9), dt.time(17))


def _at(day, time_of_day: dt.time) -> dt.datetime:
    """`day` at `time_of_day` Paris time, in UTC."""
    return dt.datetime.combine(dt.date.fromisoformat(str(day)[:10]), time_of_day,
                               tzinfo=ZoneInfo(TIMEZONE)).astimezone(dt.timezone.utc)


def seminar_start(d: dict) -> dt.datetime:
    """When a seminar (or the summary of one) starts: its own hour when training's event says, else 9:00."""
    return as_utc(d.get("starts_at")) or _at(d["starts_on"], SEMINAR_HOURS[0])


def seminar_end(d: dict) -> dt.datetime:
    """When it ends: its own hour when training's event says, else 17:00 on its last day."""
    return as_utc(d.get("ends_at")) or _at(d.get("ends_on") or d["starts_on"], SEMINAR_HOURS[1])


def _joined(*parts) -> str | None:
    return ", ".join(x for x in parts if x) or None


def _location(venue: dict | None) -> str | None:
    if not venue:
        return None
    town = " ".join(x for x in (venue.get("postal_code"), venue.get("city")) if x)
    return _joined(venue.get("name"), venue.get("address"), town)


def _place(place: dict | None) -> str | None:
    return _joined(place.get("name"), place.get("address"), place.get("city")) if place else None


def _event_fields(d: dict, federation: str | None) -> dict:
    """A calendar item from an event's data (full state or the summary registrations carry)."""
    out = {"source": "events", "title": d.get("title"), "kind": d.get("kind"), "starts_at": as_utc(d.get("starts_at")),
           "ends_at": as_utc(d.get("ends_at")), "timezone": d.get("timezone") or TIMEZONE,
           "format": d.get("format"), "location": _location(d.get("venue")), "video_url": d.get("video_link"),
           "status": d.get("status"), "version": d.get("version", 0), "ical_sequence": d.get("version", 0),
           "all_day": False}
    for key in ("organizer_ids", "min_participants", "cancel_reason", "theme"):
        if key in d:
            out[key] = d[key]
    if "registration_deadline" in d:
        out["registration_deadline"] = as_utc(d.get("registration_deadline"))
    out["federation"] = federation
    return out


def _seminar_fields(d: dict, cohort: dict, version: int, federation: str | None) -> dict:
    programme = cohort.get("programme") or {}
    return {"source": "training", "federation": federation,
            "title": " — ".join(x for x in (programme.get("name"), d.get("theme")) if x) or "Séminaire",
            "kind": "training_seminar", "starts_at": seminar_start(d), "ends_at": seminar_end(d), "timezone": TIMEZONE,
            "location": _place(d.get("place")), "video_url": None, "version": version, "ical_sequence": version,
            "all_day": False, "cohort_id": cohort.get("id"), "cohort_name": cohort.get("name")}


def _upsert_item(ctx: Ctx, item_id: str, fields: dict) -> bool:
    """Store the item if this version is newer; `ctx.item` is what we hold afterwards. Returns whether
    the event is current (not older than what we hold)."""
    db, s = ctx.tx.db, ctx.tx.session
    held = db[CALENDAR].find_one({"_id": item_id}, session=s)
    if held is not None and held.get("version", 0) > fields.get("version", 0):
        ctx.item = held
        return False
    if held is not None and held.get("starts_at") not in (None, fields.get("starts_at")) and fields.get("starts_at"):
        ctx.extra["previous_starts_at"] = held["starts_at"]
    db[CALENDAR].update_one({"_id": item_id}, {"$set": fields, "$setOnInsert": {"invited_keys": []}},
                            upsert=True, session=s)
    ctx.item = db[CALENDAR].find_one({"_id": item_id}, session=s)
    return True


def _remind(ctx: Ctx, recipient, registration_id: str | None = None) -> None:
    """Arm `recipient`'s reminders of `ctx.item` (nothing for an unknown recipient)."""
    if recipient:
        reminders.schedule(ctx.tx, ctx.settings, ctx.item, recipient, registration_id=registration_id,
                           federation=ctx.federation)


# --- events: meetings and registrations ---------------------------------------------------------------

def project_event(ctx: Ctx) -> bool:
    return _upsert_item(ctx, ctx.data["id"], _event_fields(ctx.data, ctx.federation))


def project_published(ctx: Ctx) -> bool:
    if not project_event(ctx):
        return False
    # Remember who was invited: they get the change and the cancellation, so their calendars follow.
    invited = [r.key for r in audience(ctx)]
    ctx.tx.db[CALENDAR].update_one({"_id": ctx.item["_id"]}, {"$addToSet": {"invited_keys": {"$each": invited}}},
                                   session=ctx.tx.session)
    ctx.item["invited_keys"] = sorted(set(ctx.item.get("invited_keys") or []) | set(invited))
    return True


def project_invited(ctx: Ctx) -> bool:
    """More people invited after publication: those of them not invited yet are the ones the invitation goes to
    (and, invited now, they hear of a change or a cancellation like the others)."""
    if not project_event(ctx):
        return False
    already = set(ctx.item.get("invited_keys") or [])
    ctx.extra["new_invitees"] = [r for r in audience_matching(ctx, ctx.data.get("invited") or {})
                                 if r.key not in already]
    added = [r.key for r in ctx.extra["new_invitees"]]
    ctx.tx.db[CALENDAR].update_one({"_id": ctx.item["_id"]}, {"$addToSet": {"invited_keys": {"$each": added}}},
                                   session=ctx.tx.session)
    ctx.item["invited_keys"] = sorted(already | set(added))
    return True


def project_rescheduled(ctx: Ctx) -> bool:
    if not project_event(ctx):
        return False
    previous = ctx.data.get("previous") or {}
    if previous.get("starts_at"):
        ctx.item["previous_starts_at"] = as_utc(previous["starts_at"])
    elif ctx.extra.get("previous_starts_at"):
        ctx.item["previous_starts_at"] = ctx.extra["previous_starts_at"]
    reminders.move(ctx.tx, ctx.item)
    # Rules that had already passed may be ahead again when the event moved later.
    for reg in ctx.tx.db[REGISTRATIONS].find({"event_id": ctx.item["_id"], "status": "registered"},
                                             session=ctx.tx.session):
        _remind(ctx, resolve(ctx.tx, reg, person_id=reg.get("person_id")), reg["_id"])
    return True


def project_cancelled(ctx: Ctx) -> bool:
    if not project_event(ctx):
        return False
    ctx.tx.db[CALENDAR].update_one({"_id": ctx.item["_id"]}, {"$set": {"status": "cancelled"}}, session=ctx.tx.session)
    ctx.item["status"] = "cancelled"
    reminders.drop(ctx.tx, {"item_id": ctx.item["_id"]}, "cancelled")
    return True


def project_registration(ctx: Ctx) -> bool:
    d = ctx.data
    event = d.get("event") or {}
    if event:
        _upsert_item(ctx, d["event_id"], _event_fields(event, ctx.federation))
    else:
        ctx.item = ctx.tx.db[CALENDAR].find_one({"_id": d["event_id"]}, session=ctx.tx.session)
    applied = apply_if_newer(ctx.tx, REGISTRATIONS, d["id"], ctx.envelope, {
        "event_id": d["event_id"], "federation": ctx.federation, "person_id": d.get("person_id"),
        "email": d.get("email"), "first_name": d.get("first_name"), "last_name": d.get("last_name"),
        "may_email": bool(d.get("may_email", False)), "status": d.get("status")})
    if not applied:
        return False
    if ctx.item is None:
        return True
    if d.get("status") == "registered" and ctx.item.get("status") != "cancelled":
        _remind(ctx, resolve(ctx.tx, d, person_id=d.get("person_id")), d["id"])
    elif d.get("status") in ("cancelled", "rejected", "waitlisted", "awaiting_approval"):
        reminders.drop(ctx.tx, {"registration_id": d["id"]}, f"registration {d.get('status')}")
    return True


# --- training: seminars and learners --------------------------------------------------------------------

def project_seminar(ctx: Ctx) -> bool:
    d = ctx.data
    fields = {**_seminar_fields(d, d.get("cohort") or {}, d.get("version", 0), ctx.federation),
              "status": d.get("status"), "cancel_reason": d.get("reason")}
    if not _upsert_item(ctx, d["id"], fields):
        return False
    previous = d.get("previous") or {}
    if previous.get("starts_on") or previous.get("starts_at"):
        ctx.item["previous_starts_at"] = seminar_start(previous)
    if d.get("status") == "cancelled":
        reminders.drop(ctx.tx, {"item_id": d["id"]}, "cancelled")
        return True
    reminders.move(ctx.tx, ctx.item)
    for ref in d.get("learners") or []:
        _remind(ctx, resolve(ctx.tx, ref))
    return True


def project_learner(ctx: Ctx) -> bool:
    d = ctx.data
    person = d.get("person") or {}
    cohort_id = (d.get("cohort") or {}).get("id")
    applied = apply_if_newer(ctx.tx, LEARNERS, d["id"], ctx.envelope, {
        "federation": ctx.federation, "cohort_id": cohort_id, "person_id": person.get("id"), "status": d.get("status")})
    if applied and d.get("status") == "withdrawn" and person.get("id"):
        seminars = [s["_id"] for s in ctx.tx.db[CALENDAR].find({"cohort_id": cohort_id}, {"_id": 1},
                                                               session=ctx.tx.session)]
        reminders.drop(ctx.tx, {"item_id": {"$in": seminars}, "person_id": person["id"]}, "learner withdrawn")
    return applied


def project_enrolled(ctx: Ctx) -> bool:
    """A new learner: the cohort's coming seminars go in their calendar and their reminders are armed."""
    if not project_learner(ctx):
        return False
    d = ctx.data
    r = resolve(ctx.tx, d.get("person"))
    items = []
    for ref in d.get("seminars") or []:
        # Version 0: whatever a seminar's own events said (version ≥ 1) wins over this summary.
        _upsert_item(ctx, ref["id"], {**_seminar_fields(ref, d.get("cohort") or {}, 0, ctx.federation),
                                      "status": "scheduled"})
        if ctx.item.get("status") != "cancelled":
            items.append(ctx.item)
            _remind(ctx, r)
    ctx.item = None
    ctx.extra["seminars"] = items
    return True
