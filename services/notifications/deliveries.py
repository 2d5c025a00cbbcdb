"""Deliveries: one per (domain event or reminder, channel, recipient), queued inside the consumer's (or
reminder's) transaction and sent by the dispatcher after the commit; the delivery log staff read, and
their retries."""
from __future__ import annotations

import threading

from pymongo import ReturnDocument
from pymongo.database import Database

from services.notifications import ical, rules, templating
from services.notifications.preferences import opted_out, unsubscribe_url
from services.notifications.recipients import Recipient
from services.notifications.store import DELIVERIES, LIST_PROJECTION
from shared import clock, guest_erasure
from shared.access import load_or_404, require_manager
from shared.bus.outbox import Tx
from shared.errors import RuleBroken
from shared.http.auth import Principal
from shared.http.pagination import paginate

DETAIL_PROJECTION = {"ics": 0, "payload": 0}

# --- waking the dispatcher --------------------------------------------------------------------
_wakeups: dict[str, threading.Event] = {}
_wakeups_lock = threading.Lock()


def wakeup(db: Database, channel: str) -> threading.Event:
    """In-process signal the dispatcher of `channel` waits on between its polls."""
    with _wakeups_lock:
        return _wakeups.setdefault(f"{id(db.client)}:{db.name}:{channel}", threading.Event())


# --- queueing -----------------------------------------------------------------------------------

def guest_erasure_url(settings, federation: str | None, recipient: Recipient, context: dict) -> str | None:
    """An outside guest (not in the registry) gets, in every e-mail, the signed link that erases them."""
    data = context.get("data") or {}
    guest = recipient.is_guest or (data.get("guest") is True and data.get("email") == recipient.email)
    if not (guest and recipient.email and federation):
        return None
    return guest_erasure.url(settings, federation, recipient.email)


def _attachment(settings, recipient: Recipient, items, method: str | None, category: str, at) -> dict:
    """The .ics fields of a delivery: one item (`method`), several (PUBLISH), or none."""
    if isinstance(items, list) and len(items) == 1:
        items = items[0]
    if not items:
        return {"ics": None, "ics_method": None, "ics_filename": None, "ics_uid": None, "ics_sequence": None}
    if isinstance(items, list):
        method = "PUBLISH"
    method = method or "REQUEST"
    first = items[0] if isinstance(items, list) else items
    return {"ics": ical.build_ics(items, method=method, organizer=settings.mail_from,
                                  attendee={"email": recipient.email, "name": recipient.name}, now=at),
            "ics_method": method, "ics_filename": ical.attachment_name(method, category),
            "ics_uid": ical.uid_for(first["_id"]), "ics_sequence": int(first.get("ical_sequence") or 0)}


def enqueue_email(tx: Tx, settings, *, origin: str, event_type: str, subject_id: str | None,
                  federation: str | None, recipient: Recipient, template: str, category: str,
                  context: dict, ics_item: dict | list[dict] | None = None,
                  ics_method: str | None = None) -> str | None:
    """Queue one e-mail (or record why it is suppressed). Idempotent: the delivery id is derived from
    (origin, channel, recipient), so queueing it again changes nothing. Returns the delivery id."""
    did = rules.delivery_id(origin, "email", recipient.key)
    if tx.db[DELIVERIES].find_one({"_id": did}, {"_id": 1}, session=tx.session):
        return did
    at = clock.now()
    reason = rules.suppression_reason(email=recipient.email, may_email=recipient.may_email,
                                      erased=recipient.erased, category=category,
                                      opted_out=opted_out(tx.db, tx.session, recipient.key))
    doc = {"_id": did, "origin": origin, "channel": "email", "event_type": event_type, "subject_id": subject_id,
           "event_id": event_id_of(event_type, subject_id, context),
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
        rendered = templating.render_message(
            template, context, person={"first_name": recipient.first_name, "last_name": recipient.last_name},
            federation=federation, unsubscribe_url=url, unsubscribe_label=rules.CATEGORY_LABELS[unsub_category],
            erasure_url=guest_erasure_url(settings, federation, recipient, context), base_url=settings.public_base_url)
        doc.update(status="queued", next_attempt_at=at, recipient={"email": recipient.email, "name": recipient.name},
                   message={**rendered, "unsubscribe_url": url},
                   **_attachment(settings, recipient, ics_item, ics_method, category, at))
    tx.db[DELIVERIES].update_one({"_id": did}, {"$setOnInsert": doc}, upsert=True, session=tx.session)
    if not reason:
        wakeup(tx.db, "email").set()
    return did


def event_id_of(event_type: str | None, subject_id: str | None, context: dict) -> str | None:
    """The meeting a message is about (the log's `event_id` filter): the event itself for `events.event.*`,
    the registration's event for `events.registration.*`, the reminded item when it is an event."""
    data = context.get("data") or {}
    item = context.get("item") or {}
    if data.get("event_id"):
        return data["event_id"]
    if (event_type or "").startswith("events.event."):
        return subject_id
    if event_type == "notifications.reminder" and item.get("source") == "events":
        return item.get("_id")
    return None


def enqueue_webhook(tx: Tx, *, envelope: dict, hook: dict, body: str) -> str:
    did = rules.delivery_id(envelope["id"], "webhook", hook["_id"])
    at = clock.now()
    doc = {"_id": did, "origin": envelope["id"], "channel": "webhook", "event_type": envelope["type"],
           "subject_id": envelope.get("subject"), "federation": hook["federation"], "person_id": None,
           "event_id": event_id_of(envelope["type"], envelope.get("subject"), {"data": envelope.get("data") or {}}),
           "recipient_key": hook["_id"], "webhook_id": hook["_id"], "category": "webhook", "template": None,
           "recipient": {"url": hook["url"]}, "payload": body, "status": "queued", "next_attempt_at": at,
           "attempt_count": 0, "attempts": [], "created_at": at, "updated_at": at}
    tx.db[DELIVERIES].update_one({"_id": did}, {"$setOnInsert": doc}, upsert=True, session=tx.session)
    wakeup(tx.db, "webhook").set()
    return did


# --- the delivery log (staff) ------------------------------------------------------------------

LOG_FILTERS = ("status", "channel", "person_id", "event_type", "template", "category", "webhook_id", "subject_id",
               "event_id")


def list_deliveries(db, principal: Principal, args: dict) -> dict:
    query = principal.scope(args.get("federation"))
    query.update({key: args[key] for key in LOG_FILTERS if args.get(key)})
    if args.get("since") or args.get("until"):
        query["created_at"] = {**({"$gte": args["since"]} if args.get("since") else {}),
                               **({"$lt": args["until"]} if args.get("until") else {})}
    return paginate(db[DELIVERIES], query, args, [("created_at", -1), ("_id", 1)], LIST_PROJECTION)


def get_delivery(db, principal: Principal, delivery_id: str) -> dict:
    return load_or_404(db, DELIVERIES, delivery_id, principal, what="delivery", projection=DETAIL_PROJECTION)


def retry_delivery(db, principal: Principal, delivery_id: str) -> dict:
    current = get_delivery(db, principal, delivery_id)
    require_manager(principal, current.get("federation"), "Les envois d'une autre fédération sont en lecture seule pour vous.")
    if current.get("erased"):
        raise RuleBroken("Le destinataire a été effacé ; ce message ne peut pas être renvoyé.", field="status")
    if current["status"] not in ("failed", "retrying"):
        raise RuleBroken(f"Seuls les envois en échec ou en cours de relance peuvent être relancés (celui-ci est "
                         f"`{current['status']}`).",
                         field="status")
    at = clock.now()
    doc = db[DELIVERIES].find_one_and_update(
        {"_id": delivery_id, "status": current["status"]},
        {"$set": {"status": "queued", "next_attempt_at": at, "updated_at": at, "retried_by": principal.sub},
         "$push": {"attempts": {"n": current.get("attempt_count", 0), "at": at, "outcome": "retry_requested",
                                "by": principal.sub}}},
        projection=DETAIL_PROJECTION, return_document=ReturnDocument.AFTER)
    if doc is None:
        raise RuleBroken("L'envoi a changé entre-temps ; relisez-le.")
    wakeup(db, current["channel"]).set()
    return doc
