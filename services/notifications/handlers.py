"""What notifications consumes, as a table: routing key → how to update the local projection, then
which messages to queue (template, category, recipients, .ics).

Adding a message for a new event type is one line in `ROUTES`:

    "training.learner.enrolled": Route(notices=(Notice("learner_enrolled", "training", person_of("person")),)),

Handlers run inside the consumer's transaction (with the processed-event record); they never send
anything: they write `deliveries` (status `queued`, one per domain event × recipient × channel, with
an id derived from those three) that the dispatcher sends after the commit.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Callable, Iterable

from services.notifications import reminders, rules, service
from services.notifications.service import Recipient
from services.notifications.store import CALENDAR, LEARNERS, LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from shared.bus.envelope import routing_key_of
from shared.bus.outbox import Tx
from shared.projection import apply_if_newer

ERASED_SEQUENCE = 2 ** 62  # an erasure is final: no later (or replayed) event brings the person back


@dataclass
class Ctx:
    envelope: dict
    tx: Tx
    settings: object
    item: dict | None = None          # the calendar item the message is about (after projection)
    extra: dict = field(default_factory=dict)  # what the projection step found (e.g. previous start)

    @property
    def data(self) -> dict:
        return self.envelope["data"]

    @property
    def federation(self) -> str | None:
        return self.envelope.get("federation") or self.data.get("federation")


Recipients = Callable[[Ctx], Iterable[Recipient]]


@dataclass(frozen=True)
class Notice:
    template: str
    category: str
    recipients: Recipients
    ics: str | None = None                          # "REQUEST" or "CANCEL": attach the item's .ics
    when: Callable[[Ctx], bool] | None = None       # only if…
    context: Callable[[Ctx], dict] | None = None    # more template variables
    items: Callable[[Ctx], list[dict]] | None = None  # the calendar items of the .ics (default: ctx.item)


@dataclass(frozen=True)
class Route:
    project: Callable[[Ctx], bool | None] | None = None  # returns False: stale event, nothing to send
    notices: tuple[Notice, ...] = ()


# --- time helpers ---------------------------------------------------------------------------------

def _dt(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def _day_start(value, tz="Europe/Paris", hour=9) -> dt.datetime:
    from zoneinfo import ZoneInfo
    d = dt.date.fromisoformat(str(value)[:10])
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=ZoneInfo(tz)).astimezone(dt.timezone.utc)


# --- recipients -----------------------------------------------------------------------------------

def resolve(tx: Tx, ref: dict | None, person_id: str | None = None) -> Recipient | None:
    """A person named in an event (id + name + e-mail + may_email, or a guest's name + e-mail). What our
    registry projection holds wins (latest e-mail, consent, erasure); the event's copy is the fallback."""
    ref = ref or {}
    pid = person_id or ref.get("person_id") or ref.get("id")
    if pid:
        person = tx.db[PEOPLE].find_one({"_id": pid}, session=tx.session)
        if person is not None:
            return Recipient.of_person(person, pid)
        return Recipient(key=pid, person_id=pid, email=ref.get("email"), first_name=ref.get("first_name"),
                         last_name=ref.get("last_name"), may_email=bool(ref.get("may_email", False)))
    if ref.get("email"):
        return Recipient(key=f"guest:{ref['email'].lower()}", email=ref["email"], first_name=ref.get("first_name"),
                         last_name=ref.get("last_name"), may_email=bool(ref.get("may_email", True)))
    return None


def person_of(key: str) -> Recipients:
    """The person in `data[key]` (a PersonRef)."""
    def pick(ctx: Ctx):
        r = resolve(ctx.tx, ctx.data.get(key))
        return [r] if r else []
    return pick


def registrant(ctx: Ctx) -> list[Recipient]:
    r = resolve(ctx.tx, ctx.data, person_id=ctx.data.get("person_id"))
    return [r] if r else []


def audience(ctx: Ctx) -> list[Recipient]:
    """Everyone the event targets, from our own projection of the registry."""
    fed = ctx.federation
    db, s = ctx.tx.db, ctx.tx.session
    people = db[PEOPLE].find({"federation": fed, "deleted": {"$ne": True}}, session=s)
    structures = {d["_id"]: d for d in db[STRUCTURES].find({"federation": fed}, session=s)}
    groups = {d["_id"]: d for d in db[LOCAL_GROUPS].find({"federation": fed}, session=s)}
    chosen = rules.select_audience(people, structures, groups, ctx.data.get("audience") or {},
                                   dt.datetime.now(dt.timezone.utc).date())
    return [Recipient.of_person(p) for p in chosen]


WITHDRAWN = ("cancelled", "rejected")


def registrants_and_invitees(ctx: Ctx) -> list[Recipient]:
    """Who has this item in their calendar: the registrants named in the event, and the people invited —
    except those who withdrew (their registration cancelled or refused): the CANCEL they received took the
    item out of their calendar, and a later REQUEST would put it back."""
    refs = [ref for ref in ctx.data.get("recipients") or [] if ref.get("status") not in WITHDRAWN]
    out = [r for r in (resolve(ctx.tx, ref) for ref in refs) if r]
    for key in (ctx.item or {}).get("invited_keys") or []:
        r = resolve(ctx.tx, None, person_id=key)
        if r:
            out.append(r)
    withdrawn = withdrawn_keys(ctx)
    return [r for r in out if r.key not in withdrawn]


def withdrawn_keys(ctx: Ctx) -> set[str]:
    """Recipient keys of the people who registered for this item and are no longer in it. The event's own
    `recipients` (its active registrations when it changed) is authoritative: whoever we saw register and is
    not listed there (or listed as cancelled/rejected) withdrew, even if their cancellation reaches us later."""
    active = {r.key for r in (resolve(ctx.tx, ref) for ref in ctx.data.get("recipients") or []
                              if ref.get("status") not in WITHDRAWN) if r}
    if ctx.item is None:
        return set()
    seen = set()
    for reg in ctx.tx.db[REGISTRATIONS].find({"event_id": ctx.item["_id"]}, {"person_id": 1, "email": 1},
                                             session=ctx.tx.session):
        key = reg.get("person_id") or (f"guest:{reg['email'].lower()}" if reg.get("email") else None)
        if key:
            seen.add(key)
    return seen - active


def organizers(ctx: Ctx) -> list[Recipient]:
    ids = ctx.data.get("organizer_ids") or (ctx.item or {}).get("organizer_ids") or []
    return [r for r in (resolve(ctx.tx, None, person_id=i) for i in ids) if r]


def seminar_people(ctx: Ctx) -> list[Recipient]:
    out = [r for r in (resolve(ctx.tx, ref) for ref in ctx.data.get("learners") or []) if r]
    for trainer in ctx.data.get("trainers") or []:
        r = resolve(ctx.tx, {"id": trainer.get("person_id"), "email": trainer.get("email"), "may_email": True,
                             "first_name": trainer.get("name")})
        if r:
            out.append(r)
    return out


def people_list(key: str) -> Recipients:
    return lambda ctx: [r for r in (resolve(ctx.tx, ref) for ref in ctx.data.get(key) or []) if r]


# --- registry projection ----------------------------------------------------------------------------

def project_person(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, PEOPLE, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "first_name": d.get("first_name"),
        "last_name": d.get("last_name"), "email": d.get("email"), "phone": d.get("phone"),
        "may_email": bool(d.get("may_email", False)), "demo": bool(d.get("demo", False)),
        "roles": d.get("roles") or [], "deleted": False})


def erase_guest(ctx: Ctx) -> None:
    """events.guest.erased: the outside guest's registrations and deliveries keep no address or name."""
    service.purge_guest(ctx.tx, ctx.data.get("federation") or ctx.federation, ctx.data["email_sha256"])


def erase_person(ctx: Ctx) -> None:
    pid = ctx.data.get("id") or ctx.envelope["subject"]
    ctx.tx.db[PEOPLE].replace_one({"_id": pid}, {"_id": pid, "federation": ctx.federation, "deleted": True,
                                                 "erased": True, "sequence": ERASED_SEQUENCE},
                                  upsert=True, session=ctx.tx.session)
    ctx.tx.db[REGISTRATIONS].update_many({"person_id": pid}, {"$unset": {"email": "", "first_name": "",
                                                                          "last_name": ""},
                                                               "$set": {"may_email": False}}, session=ctx.tx.session)
    service.purge_person(ctx.tx, pid)


def project_structure(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, STRUCTURES, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "kind": d.get("kind"), "name": d.get("name"),
        "city": d.get("city"), "department": d.get("department"), "status": d.get("status"),
        "local_group_id": d.get("local_group_id"), "archived": bool(d.get("archived", False))})


def project_local_group(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, LOCAL_GROUPS, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "name": d.get("name"),
        "department": d.get("department"), "structure_ids": d.get("structure_ids") or [],
        "contact_person_ids": d.get("contact_person_ids") or []})


# --- events service: the calendar ---------------------------------------------------------------------

def _location(venue: dict | None) -> str | None:
    if not venue:
        return None
    town = " ".join(x for x in (venue.get("postal_code"), venue.get("city")) if x)
    return ", ".join(x for x in (venue.get("name"), venue.get("address"), town) if x) or None


def _event_fields(d: dict) -> dict:
    """A calendar item from an event's data (full state or the summary registrations carry)."""
    out = {"source": "events", "title": d.get("title"), "kind": d.get("kind"), "starts_at": _dt(d.get("starts_at")),
           "ends_at": _dt(d.get("ends_at")), "timezone": d.get("timezone") or "Europe/Paris",
           "format": d.get("format"), "location": _location(d.get("venue")), "video_url": d.get("video_link"),
           "status": d.get("status"), "version": d.get("version", 0), "ical_sequence": d.get("version", 0),
           "all_day": False}
    for key in ("organizer_ids", "min_participants", "cancel_reason", "theme"):
        if key in d:
            out[key] = d[key]
    if "registration_deadline" in d:
        out["registration_deadline"] = _dt(d.get("registration_deadline"))
    if d.get("federation"):
        out["federation"] = d["federation"]
    return out


def _upsert_item(ctx: Ctx, item_id: str, fields: dict) -> bool:
    """Store the item if this version is newer; `ctx.item` is what we hold afterwards. Returns whether
    the event is current (not older than what we hold)."""
    db, s = ctx.tx.db, ctx.tx.session
    held = db[CALENDAR].find_one({"_id": item_id}, session=s)
    if held is not None and held.get("version", 0) > fields.get("version", 0):
        ctx.item = held
        return False
    if held is not None and held.get("starts_at") and fields.get("starts_at") and held["starts_at"] != fields["starts_at"]:
        ctx.extra["previous_starts_at"] = held["starts_at"]
    db[CALENDAR].update_one({"_id": item_id}, {"$set": fields, "$setOnInsert": {"invited_keys": []}},
                            upsert=True, session=s)
    ctx.item = db[CALENDAR].find_one({"_id": item_id}, session=s)
    return True


def project_event(ctx: Ctx) -> bool:
    return _upsert_item(ctx, ctx.data["id"], {**_event_fields(ctx.data), "federation": ctx.federation})


def project_published(ctx: Ctx) -> bool:
    if not project_event(ctx):
        return False
    # Remember who was invited: they get the change and the cancellation, so their calendars follow.
    invited = [r.key for r in audience(ctx)]
    ctx.tx.db[CALENDAR].update_one({"_id": ctx.item["_id"]}, {"$addToSet": {"invited_keys": {"$each": invited}}},
                                   session=ctx.tx.session)
    ctx.item["invited_keys"] = sorted(set(ctx.item.get("invited_keys") or []) | set(invited))
    return True


def project_rescheduled(ctx: Ctx) -> bool:
    if not project_event(ctx):
        return False
    previous = ctx.data.get("previous") or {}
    if previous.get("starts_at"):
        ctx.item["previous_starts_at"] = _dt(previous["starts_at"])
    elif ctx.extra.get("previous_starts_at"):
        ctx.item["previous_starts_at"] = ctx.extra["previous_starts_at"]
    reminders.move(ctx.tx, ctx.item)
    # Rules that had already passed may be ahead again when the event moved later.
    for reg in ctx.tx.db[REGISTRATIONS].find({"event_id": ctx.item["_id"], "status": "registered"},
                                             session=ctx.tx.session):
        r = resolve(ctx.tx, reg, person_id=reg.get("person_id"))
        if r:
            reminders.schedule(ctx.tx, ctx.settings, ctx.item, r, registration_id=reg["_id"],
                               federation=ctx.federation)
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
        _upsert_item(ctx, d["event_id"], {**_event_fields(event), "federation": ctx.federation})
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
        r = resolve(ctx.tx, d, person_id=d.get("person_id"))
        if r:
            reminders.schedule(ctx.tx, ctx.settings, ctx.item, r, registration_id=d["id"], federation=ctx.federation)
    elif d.get("status") in ("cancelled", "rejected", "waitlisted", "awaiting_approval"):
        reminders.drop(ctx.tx, {"registration_id": d["id"]}, f"registration {d.get('status')}")
    return True


# --- training -----------------------------------------------------------------------------------------

def _place(place: dict | None) -> str | None:
    if not place:
        return None
    return ", ".join(x for x in (place.get("name"), place.get("address"), place.get("city")) if x) or None


def project_seminar(ctx: Ctx) -> bool:
    d = ctx.data
    fields = {**_seminar_fields(d, d.get("cohort") or {}, d.get("version", 0), ctx.federation),
              "status": d.get("status"), "cancel_reason": d.get("reason")}
    if not _upsert_item(ctx, d["id"], fields):
        return False
    previous = d.get("previous") or {}
    if previous.get("starts_on"):
        ctx.item["previous_starts_at"] = _day_start(previous["starts_on"])
    if d.get("status") == "cancelled":
        reminders.drop(ctx.tx, {"item_id": d["id"]}, "cancelled")
    else:
        reminders.move(ctx.tx, ctx.item)
        for ref in d.get("learners") or []:
            r = resolve(ctx.tx, ref)
            if r:
                reminders.schedule(ctx.tx, ctx.settings, ctx.item, r, registration_id=None, federation=ctx.federation)
    return True


def project_learner(ctx: Ctx) -> bool:
    d = ctx.data
    person = d.get("person") or {}
    applied = apply_if_newer(ctx.tx, LEARNERS, d["id"], ctx.envelope, {
        "federation": ctx.federation, "cohort_id": (d.get("cohort") or {}).get("id"), "person_id": person.get("id"),
        "status": d.get("status")})
    if applied and d.get("status") == "withdrawn" and person.get("id"):
        seminars = [s["_id"] for s in ctx.tx.db[CALENDAR].find({"cohort_id": (d.get("cohort") or {}).get("id")},
                                                               {"_id": 1}, session=ctx.tx.session)]
        reminders.drop(ctx.tx, {"item_id": {"$in": seminars}, "person_id": person["id"]}, "learner withdrawn")
    return applied


def _seminar_fields(d: dict, cohort: dict, version: int, federation: str | None) -> dict:
    programme = cohort.get("programme") or {}
    return {"source": "training", "federation": federation,
            "title": " — ".join(x for x in (programme.get("name"), d.get("theme")) if x) or "Séminaire",
            "kind": "training_seminar", "starts_at": _day_start(d["starts_on"]),
            "ends_at": _day_start(d.get("ends_on") or d["starts_on"], hour=17), "timezone": "Europe/Paris",
            "location": _place(d.get("place")), "video_url": None, "version": version, "ical_sequence": version,
            "all_day": False, "cohort_id": cohort.get("id"), "cohort_name": cohort.get("name")}


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
            if r:
                reminders.schedule(ctx.tx, ctx.settings, ctx.item, r, registration_id=None, federation=ctx.federation)
    ctx.item = None
    ctx.extra["seminars"] = items
    return True


def decision_context(ctx: Ctx) -> dict:
    decision = ctx.data.get("decision")
    labels = {"accepted": "retenue", "rejected": "non retenue", "shortlisted": "présélectionnée"}
    cohort = ctx.data.get("cohort") or {}
    return {"decision": decision, "decision_label": labels.get(decision, decision), "accepted": decision == "accepted",
            "shortlisted": decision == "shortlisted", "reserve": False,
            "data": {**ctx.data, "cohort_name": cohort.get("name")}}


def training_context(ctx: Ctx) -> dict:
    cohort = ctx.data.get("cohort") or ctx.data  # cohort events carry the cohort itself
    return {"data": {**ctx.data, "cohort_name": cohort.get("name"),
                     "programme_name": (cohort.get("programme") or {}).get("name"),
                     "code": ctx.data.get("certificate_code")},
            "verify_url": ctx.data.get("verification_url")}


def _status_is(*statuses: str):
    return lambda ctx: ctx.data.get("status") in statuses


# --- the table ------------------------------------------------------------------------------------------

ROUTES: dict[str, Route] = {
    # registry → projection only
    "registry.person.registered": Route(project_person),
    "registry.person.updated": Route(project_person),
    "registry.person.erased": Route(erase_person),
    "events.guest.erased": Route(erase_guest),
    "registry.structure.registered": Route(project_structure),
    "registry.structure.updated": Route(project_structure),
    "registry.local_group.created": Route(project_local_group),
    "registry.local_group.updated": Route(project_local_group),
    # events
    "events.event.published": Route(project_published, (
        Notice("invitation", "invitation", audience, ics="REQUEST"),)),
    "events.event.updated": Route(project_event),
    "events.event.rescheduled": Route(project_rescheduled, (
        Notice("event_rescheduled", "rescheduling", registrants_and_invitees, ics="REQUEST"),)),
    "events.event.cancelled": Route(project_cancelled, (
        Notice("event_cancelled", "cancellation", registrants_and_invitees, ics="CANCEL"),)),
    "events.event.held": Route(project_event),
    "events.event.minimum_not_reached": Route(project_event, (
        Notice("minimum_not_reached", "organizer", organizers,
               context=lambda ctx: {"data": {**ctx.data, "registered_count": ctx.data.get("taken"),
                                             "minimum": ctx.data.get("min_participants"),
                                             "deadline": ctx.data.get("minimum_deadline")}}),)),
    "events.registration.confirmed": Route(project_registration, (
        Notice("registration_confirmed", "registration", registrant, ics="REQUEST"),)),
    "events.registration.waitlisted": Route(project_registration, (
        Notice("registration_waitlisted", "registration", registrant),)),
    "events.registration.awaiting_approval": Route(project_registration, (
        Notice("registration_awaiting_approval", "registration", registrant),)),
    "events.registration.approved": Route(project_registration, (
        Notice("registration_confirmed", "registration", registrant, ics="REQUEST", when=_status_is("registered")),
        Notice("registration_waitlisted", "registration", registrant, when=_status_is("waitlisted")))),
    "events.registration.promoted": Route(project_registration, (
        Notice("registration_promoted", "registration", registrant, ics="REQUEST"),)),
    "events.registration.cancelled": Route(project_registration, (
        Notice("registration_cancelled", "registration", registrant, ics="CANCEL"),)),
    "events.registration.rejected": Route(project_registration, (
        Notice("registration_rejected", "registration", registrant),)),
    # training
    "training.application.decided": Route(None, (
        Notice("application_decided", "training", person_of("person"), context=decision_context),)),
    "training.learner.enrolled": Route(project_enrolled, (
        Notice("learner_enrolled", "training", person_of("person"), ics="PUBLISH",
               items=lambda ctx: ctx.extra.get("seminars") or [],
               context=lambda ctx: {**training_context(ctx), "seminars": ctx.extra.get("seminars") or []}),)),
    "training.learner.withdrawn": Route(project_learner),
    "training.learner.certified": Route(project_learner, (
        Notice("certificate_issued", "training", person_of("person"), context=training_context),)),
    "training.learner.absence_threshold_reached": Route(None, (
        Notice("absence_warning", "training", person_of("person"), context=training_context),)),
    "training.seminar.scheduled": Route(project_seminar, (
        Notice("seminar_scheduled", "training", seminar_people, ics="REQUEST"),)),
    "training.seminar.rescheduled": Route(project_seminar, (
        Notice("seminar_rescheduled", "rescheduling", seminar_people, ics="REQUEST"),)),
    "training.seminar.cancelled": Route(project_seminar, (
        Notice("seminar_cancelled", "cancellation", seminar_people, ics="CANCEL"),)),
    "training.cohort.cancelled": Route(None, (
        Notice("cohort_cancelled", "cancellation", people_list("people"), context=training_context),)),
}


def handle(envelope: dict, tx: Tx, settings) -> None:
    route = ROUTES.get(routing_key_of(envelope["type"]))
    if route is None:
        return
    ctx = Ctx(envelope, tx, settings)
    if route.project is not None and route.project(ctx) is False:
        return  # an older version than what we hold: its messages would tell something outdated
    item = ctx.item
    if item is not None and ctx.extra.get("previous_starts_at") and not item.get("previous_starts_at"):
        item["previous_starts_at"] = ctx.extra["previous_starts_at"]
    seen: set[str] = set()
    for notice in route.notices:
        if notice.when and not notice.when(ctx):
            continue
        context = {"item": item or {}, "data": ctx.data, **(notice.context(ctx) if notice.context else {})}
        for recipient in notice.recipients(ctx):
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            service.enqueue_email(
                tx, settings, origin=envelope["id"], event_type=envelope["type"], subject_id=envelope.get("subject"),
                federation=ctx.federation, recipient=recipient, template=notice.template, category=notice.category,
                context=context, ics_item=_ics_items(notice, ctx), ics_method=notice.ics)


def _ics_items(notice: Notice, ctx: Ctx):
    if not notice.ics:
        return None
    if notice.items is not None:
        return notice.items(ctx) or None
    return ctx.item


def handle_webhooks(envelope: dict, tx: Tx, settings) -> None:
    """Fan a domain event out to the federation's webhooks that asked for its type."""
    import json

    hooks = service.hooks_for(tx.db, tx.session, envelope)
    if not hooks:
        return
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for hook in hooks:
        service.enqueue_webhook(tx, envelope=envelope, hook=hook, body=body)


def handlers(settings) -> dict:
    fn = functools.partial(handle, settings=settings)
    return {key: fn for key in ROUTES}


# Event types webhooks may subscribe to: the domain events of the platform, not people's records.
WEBHOOK_BINDINGS = ("events.#", "training.#", "registry.structure.#", "registry.local_group.#")
