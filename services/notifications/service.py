"""Notifications use cases: queue messages (from handlers and reminders), the delivery log, retries,
preferences and unsubscribe, webhooks, previews. Each writes in one transaction."""
from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from pymongo import ReturnDocument
from pymongo.database import Database

from services.notifications import ical, rules, templating
from services.notifications.store import (
    DELIVERIES, LIST_PROJECTION, PEOPLE, PERSONAL_DELIVERY_FIELDS, PREFERENCES, REGISTRATIONS, REMINDERS, WEBHOOKS,
)
from shared import guest_erasure
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict, NotFound
from shared.http.pagination import paginate

SOURCE = "notifications"
FEDERATION_NAMES = {
    "apmsl": "APMSL Pays de la Loire",
    "femasaura": "FemasAURA&Co",
    "femage": "FEMAGE Grand Est",
    "avecsante-na": "AVECsanté Nouvelle-Aquitaine",
}


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# --- waking the dispatcher --------------------------------------------------------------------
_wakeups: dict[str, threading.Event] = {}
_wakeups_lock = threading.Lock()


def wakeup(db: Database, channel: str) -> threading.Event:
    """In-process signal the dispatcher of `channel` waits on between its polls."""
    with _wakeups_lock:
        return _wakeups.setdefault(f"{id(db.client)}:{db.name}:{channel}", threading.Event())


# --- recipients -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    key: str                   # person id, or `guest:<email>` for an outside guest
    email: str | None
    first_name: str | None = None
    last_name: str | None = None
    person_id: str | None = None
    may_email: bool = True
    erased: bool = False

    @property
    def name(self) -> str | None:
        return " ".join(x for x in (self.first_name, self.last_name) if x) or None

    @classmethod
    def of_person(cls, doc: dict | None, person_id: str | None = None) -> "Recipient":
        if doc is None or doc.get("deleted"):
            pid = person_id or (doc or {}).get("_id") or "unknown"
            return cls(key=pid, email=None, person_id=pid, erased=bool(doc and doc.get("erased")),
                       may_email=False if doc and doc.get("erased") else True)
        return cls(key=doc["_id"], email=doc.get("email"), first_name=doc.get("first_name"),
                   last_name=doc.get("last_name"), person_id=doc["_id"], may_email=bool(doc.get("may_email", False)))

    @classmethod
    def guest(cls, email: str, name: str | None = None) -> "Recipient":
        first, _, last = (name or "").partition(" ")
        return cls(key=f"guest:{email.lower()}", email=email, first_name=first or None, last_name=last or None)


def unsubscribe_url(settings, recipient_key: str, federation: str, category: str) -> str:
    token = rules.sign_unsubscribe(settings.link_signing_secret, recipient_key, federation, category)
    return f"{settings.public_base_url.rstrip('/')}/notifications/v1/unsubscribe?token={token}"


def guest_erasure_url(settings, federation: str | None, recipient: "Recipient", context: dict) -> str | None:
    """An outside guest (not in the registry) gets, in every e-mail, the signed link that erases them."""
    data = context.get("data") or {}
    guest = recipient.key.startswith("guest:") or (data.get("guest") is True and data.get("email") == recipient.email)
    if not (guest and recipient.email and federation):
        return None
    return guest_erasure.url(settings, federation, recipient.email)


def purge_guest(tx: Tx, federation: str, email_sha256: str) -> int:
    """An outside guest erased in events: like `purge_person`, found by their address's digest (their
    registrations here give the address; guests' recipient keys are `guest:<address>`)."""
    s, at = tx.session, now()
    matches = lambda email: bool(email) and guest_erasure.email_digest(email) == email_sha256  # noqa: E731
    emails = {r["email"] for r in tx.db[REGISTRATIONS].find(
        {"federation": federation, "person_id": None, "email": {"$ne": None}}, {"email": 1}, session=s)
        if matches(r.get("email"))}
    keys = {d["recipient_key"] for d in tx.db[DELIVERIES].find(
        {"federation": federation, "recipient_key": {"$regex": "^guest:"}}, {"recipient_key": 1}, session=s)
        if matches(d["recipient_key"].removeprefix("guest:"))}
    emails |= {k.removeprefix("guest:") for k in keys}
    variants = sorted({e for e in emails} | {e.lower() for e in emails})
    theirs = {"federation": federation,
              "$or": [{"recipient_key": {"$in": sorted(keys)}}, {"recipient.email": {"$in": variants}}]}
    tx.db[DELIVERIES].update_many(
        {**theirs, "status": {"$in": ["queued", "retrying"]}},
        {"$set": {"status": "suppressed", "reason": "erased", "updated_at": at},
         "$push": {"attempts": {"n": 0, "at": at, "outcome": "suppressed", "reason": "erased"}}}, session=s)
    result = tx.db[DELIVERIES].update_many(
        theirs, {"$unset": {f: "" for f in PERSONAL_DELIVERY_FIELDS},
                 "$set": {"recipient_key": None, "erased": True, "updated_at": at}}, session=s)
    tx.db[PREFERENCES].delete_many({"_id": {"$in": sorted(keys)}}, session=s)
    tx.db[REGISTRATIONS].update_many(
        {"federation": federation, "person_id": None, "email": {"$in": variants}},
        {"$unset": {"email": "", "first_name": "", "last_name": ""}, "$set": {"may_email": False}}, session=s)
    return result.modified_count


def _opted_out(db, session, key: str) -> set[str]:
    doc = db[PREFERENCES].find_one({"_id": key}, session=session)
    return set(doc.get("opted_out") or []) if doc else set()


def enqueue_email(tx: Tx, settings, *, origin: str, event_type: str, subject_id: str | None,
                  federation: str | None, recipient: Recipient, template: str, category: str,
                  context: dict, ics_item: dict | list[dict] | None = None,
                  ics_method: str | None = None) -> str | None:
    """Queue one e-mail (or record why it is suppressed). Idempotent: the delivery id is derived from
    (origin, channel, recipient), so queueing it again changes nothing. Returns the delivery id."""
    did = rules.delivery_id(origin, "email", recipient.key)
    if tx.db[DELIVERIES].find_one({"_id": did}, {"_id": 1}, session=tx.session):
        return did
    at = now()
    reason = rules.suppression_reason(email=recipient.email, may_email=recipient.may_email,
                                      erased=recipient.erased, category=category,
                                      opted_out=_opted_out(tx.db, tx.session, recipient.key))
    doc = {"_id": did, "origin": origin, "channel": "email", "event_type": event_type, "subject_id": subject_id,
           "federation": federation, "person_id": recipient.person_id, "recipient_key": recipient.key,
           "category": category, "template": template, "created_at": at, "updated_at": at,
           "attempt_count": 0, "attempts": []}
    if reason:
        doc.update(status="suppressed", reason=reason,
                   attempts=[{"n": 0, "at": at, "outcome": "suppressed", "reason": reason}])
        if recipient.email and reason != "erased":
            doc["recipient"] = {"email": recipient.email, "name": recipient.name}
    else:
        unsub_category = rules.ALL if category in rules.CRITICAL else category
        url = unsubscribe_url(settings, recipient.key, federation or "", unsub_category)
        rendered = templating.render(template, {
            **context, "person": {"first_name": recipient.first_name, "last_name": recipient.last_name},
            "unsubscribe_url": url, "unsubscribe_label": rules.CATEGORY_LABELS[unsub_category],
            "erasure_url": guest_erasure_url(settings, federation, recipient, context),
            "sender_name": FEDERATION_NAMES.get(federation or "", federation),
        })
        ics = None
        if isinstance(ics_item, list) and len(ics_item) == 1:
            ics_item = ics_item[0]
        if ics_item == []:
            ics_item = None
        first = ics_item[0] if isinstance(ics_item, list) else ics_item
        if ics_item is not None:
            if isinstance(ics_item, list):
                ics_method = "PUBLISH"
            ics = ical.build_ics(ics_item, method=ics_method or "REQUEST", organizer=settings.mail_from,
                                 attendee={"email": recipient.email, "name": recipient.name}, now=at)
        doc.update(status="queued", next_attempt_at=at, recipient={"email": recipient.email, "name": recipient.name},
                   message={**rendered, "unsubscribe_url": url}, ics=ics, ics_method=ics_method if ics else None,
                   ics_filename=ical.attachment_name(ics_method, category) if ics else None,
                   ics_uid=ical.uid_for(first["_id"]) if ics else None,
                   ics_sequence=int(first.get("ical_sequence") or 0) if ics else None)
    tx.db[DELIVERIES].update_one({"_id": did}, {"$setOnInsert": doc}, upsert=True, session=tx.session)
    if not reason:
        wakeup(tx.db, "email").set()
    return did


def enqueue_webhook(tx: Tx, *, envelope: dict, hook: dict, body: str) -> str:
    did = rules.delivery_id(envelope["id"], "webhook", hook["_id"])
    at = now()
    doc = {"_id": did, "origin": envelope["id"], "channel": "webhook", "event_type": envelope["type"],
           "subject_id": envelope.get("subject"), "federation": hook["federation"], "person_id": None,
           "recipient_key": hook["_id"], "webhook_id": hook["_id"], "category": "webhook", "template": None,
           "recipient": {"url": hook["url"]}, "payload": body, "status": "queued", "next_attempt_at": at,
           "attempt_count": 0, "attempts": [], "created_at": at, "updated_at": at}
    tx.db[DELIVERIES].update_one({"_id": did}, {"$setOnInsert": doc}, upsert=True, session=tx.session)
    wakeup(tx.db, "webhook").set()
    return did


# --- erasure ----------------------------------------------------------------------------------


def purge_person(tx: Tx, person_id: str) -> None:
    """A person erased in the registry: their preferences go, their reminders go, and their delivery
    records keep only what the log needs (status, dates, event type) — no address, name or content."""
    s = tx.session
    tx.db[PREFERENCES].delete_one({"_id": person_id}, session=s)
    tx.db[REMINDERS].delete_many({"person_id": person_id}, session=s)
    at = now()
    tx.db[DELIVERIES].update_many(
        {"person_id": person_id, "status": {"$in": ["queued", "retrying"]}},
        {"$set": {"status": "suppressed", "reason": "erased", "updated_at": at},
         "$push": {"attempts": {"n": 0, "at": at, "outcome": "suppressed", "reason": "erased"}}}, session=s)
    tx.db[DELIVERIES].update_many(
        {"person_id": person_id},
        {"$unset": {f: "" for f in PERSONAL_DELIVERY_FIELDS},
         "$set": {"person_id": None, "recipient_key": None, "erased": True, "updated_at": at}}, session=s)


# --- delivery log (staff) ---------------------------------------------------------------------


def _delivery_scope(principal: Principal, federation: str | None) -> dict:
    return principal.scope(federation)


def list_deliveries(db, principal: Principal, args: dict) -> dict:
    query = _delivery_scope(principal, args.get("federation"))
    for key in ("status", "channel", "person_id", "event_type", "template", "category", "webhook_id",
                "subject_id"):
        if args.get(key):
            query[key] = args[key]
    if args.get("since") or args.get("until"):
        query["created_at"] = {**({"$gte": args["since"]} if args.get("since") else {}),
                               **({"$lt": args["until"]} if args.get("until") else {})}
    return paginate(db[DELIVERIES], query, args, [("created_at", -1), ("_id", 1)], LIST_PROJECTION)


def get_delivery(db, principal: Principal, delivery_id: str) -> dict:
    doc = db[DELIVERIES].find_one({"_id": delivery_id}, {"ics": 0, "payload": 0})
    if doc is None or not principal.can_read(doc.get("federation")):
        raise NotFound("delivery")
    return doc


def retry_delivery(db, principal: Principal, delivery_id: str) -> dict:
    current = get_delivery(db, principal, delivery_id)
    if not principal.can_write(current.get("federation")):
        raise Conflict("Deliveries of another federation are read-only for you.", status=403)
    if current.get("erased"):
        raise Conflict("The recipient was erased; this message cannot be sent again.", field="status")
    if current["status"] not in ("failed", "retrying"):
        raise Conflict(f"Only failed or retrying deliveries can be retried (this one is `{current['status']}`).",
                       field="status")
    at = now()
    doc = db[DELIVERIES].find_one_and_update(
        {"_id": delivery_id, "status": current["status"]},
        {"$set": {"status": "queued", "next_attempt_at": at, "updated_at": at, "retried_by": principal.sub},
         "$push": {"attempts": {"n": current.get("attempt_count", 0), "at": at, "outcome": "retry_requested",
                                "by": principal.sub}}},
        projection={"ics": 0, "payload": 0}, return_document=ReturnDocument.AFTER)
    if doc is None:
        raise Conflict("The delivery changed meanwhile; read it again.", status=409)
    wakeup(db, current["channel"]).set()
    return doc


# --- preferences ------------------------------------------------------------------------------


def _person_federation(db, person_id: str) -> str | None:
    person = db[PEOPLE].find_one({"_id": person_id}, {"federation": 1})
    return person.get("federation") if person else None


def _may_manage(principal: Principal, person_id: str, federation: str | None) -> bool:
    if principal.sub == person_id:
        # Themself, as their own federation knows them: another federation's token with the same `sub` is not.
        return federation is None or principal.federation == federation
    return principal.is_staff and federation is not None and principal.federation == federation or (
        principal.is_national and federation is not None)


def get_preferences(db, principal: Principal, person_id: str) -> dict:
    pref = db[PREFERENCES].find_one({"_id": person_id})
    federation = (pref or {}).get("federation") or _person_federation(db, person_id)
    if not _may_manage(principal, person_id, federation):
        raise NotFound("person")
    return _present_preferences(person_id, federation, pref)


def _present_preferences(person_id, federation, pref) -> dict:
    opted = list((pref or {}).get("opted_out") or [])
    return {"person_id": person_id, "federation": federation, "opted_out": opted,
            "categories": [{"category": c, "enabled": c in rules.CRITICAL or (c not in opted and rules.ALL not in opted),
                            "critical": c in rules.CRITICAL, "label": rules.CATEGORY_LABELS[c]}
                           for c in rules.CATEGORIES],
            "updated_at": (pref or {}).get("updated_at")}


def set_preferences(db, principal: Principal, person_id: str, opted_out: list[str]) -> dict:
    federation = _person_federation(db, person_id) or (db[PREFERENCES].find_one({"_id": person_id}) or {}).get(
        "federation")
    if not _may_manage(principal, person_id, federation):
        raise NotFound("person")
    # Within the person's federation only: a national token (even with `sub` = the person) reads, never writes.
    if not principal.can_write(federation) and not (federation is None and principal.sub == person_id):
        raise Conflict("Preferences of another federation's members are read-only for you.", status=403)
    try:
        categories = rules.check_opt_out(opted_out)
    except ValueError as exc:
        raise Conflict(str(exc), field="opted_out", status=422) from None
    pref = db[PREFERENCES].find_one_and_update(
        {"_id": person_id}, {"$set": {"opted_out": categories, "federation": federation, "updated_at": now(),
                                      "updated_by": principal.sub}},
        upsert=True, return_document=ReturnDocument.AFTER)
    return _present_preferences(person_id, federation, pref)


def _unsubscribe_claims(settings, token: str) -> dict:
    try:
        return rules.verify_unsubscribe(settings.link_signing_secret, token)
    except rules.ExpiredToken:
        days = rules.UNSUBSCRIBE_LINK_MAX_AGE.days
        raise Conflict(f"This unsubscribe link has expired (links last {days} days): use the one in a more recent "
                       "e-mail, or change your preferences once signed in.", field="token", status=422) from None
    except rules.BadToken:
        raise Conflict("This unsubscribe link is not valid.", field="token", status=422) from None


def unsubscribe(db, settings, token: str) -> dict:
    claims = _unsubscribe_claims(settings, token)
    category = claims["category"]
    if category in rules.CRITICAL:
        raise Conflict("Cancellations and changes of date cannot be switched off.", field="token", status=422)
    person = db[PEOPLE].find_one({"_id": claims["person_id"]}, {"deleted": 1})
    if person and person.get("deleted"):
        return {"category": category, "unsubscribed": True, "label": rules.CATEGORY_LABELS.get(category, category)}
    db[PREFERENCES].update_one(
        {"_id": claims["person_id"]},
        {"$addToSet": {"opted_out": category},
         "$set": {"federation": claims["federation"], "updated_at": now(), "updated_by": "unsubscribe-link"}},
        upsert=True)
    return {"category": category, "unsubscribed": True, "label": rules.CATEGORY_LABELS.get(category, category)}


def describe_token(settings, token: str) -> dict:
    claims = _unsubscribe_claims(settings, token)
    return {"category": claims["category"], "label": rules.CATEGORY_LABELS.get(claims["category"], claims["category"])}


# --- webhooks ---------------------------------------------------------------------------------

WEBHOOK_TYPE = re.compile(r"^(events|training|registry)\.(\*|#|[a-z_]+)(\.(\*|#|[a-z_]+))?(\.v[0-9]+)?$|^#$")


def _present_hook(doc: dict, with_secret: bool = False) -> dict:
    out = {k: v for k, v in doc.items() if k != "secret"}
    if with_secret:
        out["secret"] = doc["secret"]
    return out


def _check_target(settings, url: str) -> None:
    from services.notifications import webhooks

    refusal = webhooks.refused_target(url, webhooks.allow_private(settings), resolve=False)
    if refusal:
        raise Conflict(f"This URL cannot receive webhooks: {refusal}.", field="url", status=422)


def create_webhook(db, settings, principal: Principal, data: dict) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Conflict("You can only register webhooks for your own federation.", field="federation", status=403)
    _check_target(settings, data["url"])
    at = now()
    doc = {"_id": str(uuid.uuid4()), "federation": federation, "url": data["url"],
           "event_types": data["event_types"], "description": data.get("description"),
           "secret": data.get("secret") or secrets.token_urlsafe(32), "active": True, "disabled_reason": None,
           "created_at": at, "updated_at": at, "created_by": principal.sub, "version": 1}
    db[WEBHOOKS].insert_one(doc)
    return _present_hook(doc, with_secret=True)


def list_webhooks(db, principal: Principal, args: dict) -> dict:
    query = principal.scope(args.get("federation"))
    if args.get("active") is not None:
        query["active"] = args["active"]
    page = paginate(db[WEBHOOKS], query, args, [("created_at", -1), ("_id", 1)], {"secret": 0})
    return page


def get_webhook(db, principal: Principal, hook_id: str) -> dict:
    doc = db[WEBHOOKS].find_one({"_id": hook_id})
    if doc is None or not principal.can_read(doc["federation"]):
        raise NotFound("webhook")
    return doc


def update_webhook(db, settings, principal: Principal, hook_id: str, changes: dict, expected_version: int) -> dict:
    current = get_webhook(db, principal, hook_id)
    if not principal.can_write(current["federation"]):
        raise Conflict("Webhooks of another federation are read-only for you.", status=403)
    if changes.get("url"):
        _check_target(settings, changes["url"])
    sets = {k: v for k, v in changes.items() if v is not None}
    if sets.get("active") is True:
        sets["disabled_reason"] = None
    sets.update(updated_at=now(), version=expected_version + 1)
    doc = db[WEBHOOKS].find_one_and_update({"_id": hook_id, "version": expected_version}, {"$set": sets},
                                           return_document=ReturnDocument.AFTER)
    if doc is None:
        raise Conflict("The webhook changed meanwhile; read it again.", status=412)
    return _present_hook(doc)


def delete_webhook(db, principal: Principal, hook_id: str) -> None:
    current = get_webhook(db, principal, hook_id)
    if not principal.can_write(current["federation"]):
        raise Conflict("Webhooks of another federation are read-only for you.", status=403)
    db[WEBHOOKS].delete_one({"_id": hook_id})


def hooks_for(db, session, envelope: dict) -> list[dict]:
    routing_key = envelope["type"].rsplit(".", 1)[0]
    hooks = db[WEBHOOKS].find({"federation": envelope.get("federation"), "active": True}, session=session)
    return [h for h in hooks if any(rules.topic_matches(p, routing_key) or p == envelope["type"]
                                    for p in h.get("event_types") or [])]


# --- previews ---------------------------------------------------------------------------------


def preview(settings, template: str, federation: str | None) -> dict:
    from services.notifications.samples import sample_context

    context, item, method = sample_context(template)
    url = unsubscribe_url(settings, "exemple-personne", federation or "apmsl", rules.ALL)
    rendered = templating.render(template, {
        **context, "person": {"first_name": "Camille", "last_name": "Martin"}, "unsubscribe_url": url,
        "unsubscribe_label": rules.CATEGORY_LABELS[rules.ALL],
        "sender_name": FEDERATION_NAMES.get(federation or "", federation)})
    out = {"template": template, **rendered}
    if item is not None:
        out["ics"] = ical.build_ics(item, method=method, organizer=settings.mail_from,
                                    attendee={"email": "camille.martin@example.org", "name": "Camille Martin"}
                                    ).decode()
    return out


def sender_address(settings) -> str:
    return parseaddr(settings.mail_from)[1] or "no-reply@maillage.invalid"
