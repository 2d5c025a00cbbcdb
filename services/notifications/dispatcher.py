"""The dispatcher: sends what handlers and reminders queued, after their transactions committed.

Claim → send → mark, one delivery at a time:
1. claim: `find_one_and_update` moves one due delivery (queued / retrying whose time has come, or
   `sending` whose lease expired) to `sending` with a lease — scaled workers never send the same one;
2. send it (SMTP / .eml file / webhook POST) outside any transaction;
3. mark it `sent` (with the Message-ID), or `retrying` with back-off, or `failed`; every attempt is
   appended to the delivery's `attempts`.

The only window for a duplicate is a crash between 2 and 3: the lease expires and the message goes
again. Its Message-ID is derived from the delivery id (`<delivery id>@maillage`), so the second copy
is the same message to mail systems (a .eml file is overwritten, not doubled), and a webhook receiver
sees the same `X-Maillage-Delivery`. Anything else — redelivered domain events, retried handler
transactions, concurrent dispatchers — cannot produce a second message for the same
(domain event, recipient, channel).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid

from prometheus_client import Counter

from services.notifications import rules, webhooks
from services.notifications.deliveries import wakeup
from services.notifications.events import DELIVERY_FAILED, SOURCE
from services.notifications.mailer import Mailer, SendError, build_message
from services.notifications.store import DELIVERIES, WEBHOOKS
from shared import clock
from shared.bus.outbox import Tx, atomic
from shared.logs import log

logger = logging.getLogger("maillage.notifications.dispatcher")
ATTEMPTS = Counter("maillage_notifications_attempts_total", "Delivery attempts by channel and outcome",
                   ["channel", "outcome"])
OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lease_seconds(settings) -> float:
    return float(settings.notifications_lease_seconds)


def backoff(settings, channel: str) -> tuple:
    if channel == "webhook":
        return settings.notifications_webhook_backoff or rules.WEBHOOK_BACKOFF
    return settings.notifications_email_backoff or rules.EMAIL_BACKOFF


def recover_expired(db, channel: str, now: dt.datetime) -> int:
    """Deliveries whose sender died (or hung) mid-send: logged, and due again at once."""
    count = 0
    for doc in db[DELIVERIES].find({"channel": channel, "status": "sending", "lease_until": {"$lt": now}},
                                   {"_id": 1, "lease_owner": 1, "attempt_count": 1}):
        result = db[DELIVERIES].update_one(
            {"_id": doc["_id"], "status": "sending", "lease_until": {"$lt": now}},
            {"$set": {"status": "retrying", "next_attempt_at": now, "lease_until": None, "lease_owner": None},
             "$push": {"attempts": {"n": doc.get("attempt_count", 0), "at": now, "outcome": "lease_expired",
                                    "by": doc.get("lease_owner")}}})
        if result.modified_count:
            count += 1
            log(logger, logging.WARNING, "lease expired while sending; it goes again with the same Message-ID",
                delivery=doc["_id"])
    return count


def claim_batch(db, settings, channel: str, now: dt.datetime, limit: int) -> list[dict]:
    """Take up to `limit` due deliveries: they move to `sending` under a lease held by a token of this
    batch; only the documents that carry our token afterwards are ours (a competing dispatcher gets
    the others)."""
    due = [d["_id"] for d in db[DELIVERIES].find(
        {"channel": channel, "status": {"$in": ["queued", "retrying"]}, "next_attempt_at": {"$lte": now}},
        {"_id": 1}).sort([("next_attempt_at", 1)]).limit(limit)]
    if not due:
        return []
    token = f"{OWNER}:{uuid.uuid4().hex[:8]}"
    db[DELIVERIES].update_many(
        {"_id": {"$in": due}, "status": {"$in": ["queued", "retrying"]}},
        {"$set": {"status": "sending", "lease_owner": token,
                  "lease_until": now + dt.timedelta(seconds=lease_seconds(settings)), "updated_at": now}})
    return sorted(db[DELIVERIES].find({"_id": {"$in": due}, "lease_owner": token, "status": "sending"}),
                  key=lambda d: (d.get("next_attempt_at") or now, d["_id"]))


def claim(db, settings, channel: str, now: dt.datetime) -> dict | None:
    """One delivery (tests use it to play a worker that dies after sending)."""
    recover_expired(db, channel, now)
    batch = claim_batch(db, settings, channel, now, 1)
    return {**batch[0], "attempt_count": batch[0].get("attempt_count", 0) + 1} if batch else None


def _release(db, delivery: dict, attempt: dict, sets: dict, session=None):
    """Record `attempt` on a delivery we hold (our lease, still `sending`) and leave it as `sets` say."""
    return db[DELIVERIES].update_one(
        {"_id": delivery["_id"], "lease_owner": delivery["lease_owner"], "status": "sending"},
        {"$set": {"lease_until": None, "updated_at": attempt["at"], **sets}, "$push": {"attempts": attempt}},
        session=session)


def _mark_sent(db, delivery: dict, attempt: dict) -> None:
    _release(db, delivery, attempt, {"status": "sent", "sent_at": attempt["at"], "next_attempt_at": None,
                                     "message_id": attempt.get("message_id"), "last_error": None,
                                     "attempt_count": delivery["attempt_count"]})


def _fail(db, settings, delivery: dict, error: str | None, permanent: bool = True, **fields):
    """Record a failed attempt: (status, when it goes again or None)."""
    return _mark_failure(db, settings, delivery, _attempt(delivery, "error", error=error, **fields), permanent)


def _mark_failure(db, settings, delivery: dict, attempt: dict, permanent: bool) -> tuple[str, dt.datetime | None]:
    at = attempt["at"]
    nxt = None if permanent else rules.next_attempt(delivery["attempt_count"], backoff(settings, delivery["channel"]),
                                                    at)
    status = "retrying" if nxt else "failed"

    def work(tx: Tx):
        result = _release(tx.db, delivery, attempt, {"status": status, "next_attempt_at": nxt,
                                                     "last_error": attempt.get("error"),
                                                     "attempt_count": delivery["attempt_count"]}, tx.session)
        if status == "failed" and result.modified_count:
            tx.emit(DELIVERY_FAILED, subject=delivery["_id"], sequence=delivery["attempt_count"],
                    federation=delivery.get("federation"),
                    data={**{k: delivery.get(k) for k in ("federation", "event_type", "origin", "person_id",
                                                          "webhook_id", "template")},
                          "id": delivery["_id"], "channel": delivery["channel"], "attempts": delivery["attempt_count"],
                          "error": attempt.get("error"), "failed_at": at})

    atomic(db, SOURCE, work)
    log(logger, logging.WARNING, "delivery attempt failed", delivery=delivery["_id"], channel=delivery["channel"],
        attempt=delivery["attempt_count"], status=status, error=attempt.get("error"))
    return status, nxt


def _defer(db, deliveries: list[dict], until: dt.datetime, reason: str) -> None:
    """Give back the rest of a batch without spending one of their attempts (the server is down)."""
    at = clock.now()
    for delivery in deliveries:
        attempt = {"n": delivery.get("attempt_count", 0), "at": at, "outcome": "deferred", "reason": reason}
        _release(db, delivery, attempt, {"status": "retrying", "next_attempt_at": until})


def _attempt(delivery: dict, outcome: str, **fields) -> dict:
    return {"n": delivery["attempt_count"], "at": clock.now(), "outcome": outcome, "by": OWNER, **fields}


def send_email(db, settings, mailer: Mailer, delivery: dict) -> tuple[str, dt.datetime | None]:
    """Send one claimed e-mail and record the attempt; returns (status, next attempt if the server failed)."""
    recipient = delivery.get("recipient") or {}
    message = delivery.get("message") or {}
    if not recipient.get("email") or not message:
        return _fail(db, settings, delivery, "nothing to send (erased?)")[0], None
    try:
        msg = build_message(
            sender=settings.mail_from, to=recipient["email"], to_name=recipient.get("name"), subject=message["subject"],
            text=message["text"], html=message["html"], message_id=rules.message_id(delivery["_id"]),
            unsubscribe_url=message.get("unsubscribe_url"), ics=delivery.get("ics"),
            ics_method=delivery.get("ics_method"), ics_filename=delivery.get("ics_filename"),
            date=delivery["created_at"],
            headers={"X-Maillage-Delivery": delivery["_id"], "X-Maillage-Category": delivery.get("category", "")})
    except (ValueError, TypeError, IndexError) as exc:  # e.g. an address that is not one: no retry helps
        return _fail(db, settings, delivery, f"invalid message: {exc}")[0], None
    try:
        message_id = mailer.send(msg)
    except SendError as exc:
        status, nxt = _fail(db, settings, delivery, str(exc)[:500], exc.permanent)
        if exc.permanent:
            return status, None
        return status, nxt or clock.now() + dt.timedelta(seconds=backoff(settings, "email")[0])
    _mark_sent(db, delivery, _attempt(delivery, "sent", message_id=message_id))
    return "sent", None


def send_webhook(db, settings, delivery: dict, session=None) -> str:
    hook = db[WEBHOOKS].find_one({"_id": delivery.get("webhook_id")})
    if hook is None or not hook.get("active"):
        reason = "webhook deleted" if hook is None else f"webhook disabled ({hook.get('disabled_reason')})"
        return _fail(db, settings, delivery, reason)[0]
    refusal = webhooks.refused_target(hook["url"], webhooks.allow_private(settings))
    if refusal:
        return _fail(db, settings, delivery, refusal)[0]
    result = webhooks.post(hook["url"], hook["secret"], delivery["payload"], delivery_id=delivery["_id"],
                           event_id=delivery["origin"], event_type=delivery["event_type"], session=session)
    if result.ok:
        _mark_sent(db, delivery, _attempt(delivery, "sent", http_status=result.status))
        return "sent"
    if result.gone:
        webhooks.disable(db, hook["_id"], "410 Gone")
    return _fail(db, settings, delivery, result.error, result.gone, http_status=result.status)[0]


BATCH = {"email": 50, "webhook": 5}


def dispatch_due(db, settings, channel: str = "email", now: dt.datetime | None = None, limit: int = 5000) -> dict:
    """Send every due delivery of `channel` now; returns counts by outcome."""
    import requests

    counts: dict[str, int] = {}
    mailer = Mailer(settings.smtp_url) if channel == "email" else None
    http = requests.Session() if channel == "webhook" else None
    done = 0
    try:
        recover_expired(db, channel, now or clock.now())
        while done < limit:
            batch = claim_batch(db, settings, channel, now or clock.now(), BATCH[channel])
            if not batch:
                break
            for i, delivery in enumerate(batch):
                delivery = {**delivery, "attempt_count": delivery.get("attempt_count", 0) + 1}
                if channel == "email":
                    outcome, server_down_until = send_email(db, settings, mailer, delivery)
                else:
                    outcome, server_down_until = send_webhook(db, settings, delivery, http), None
                counts[outcome] = counts.get(outcome, 0) + 1
                ATTEMPTS.labels(channel, outcome).inc()
                done += 1
                if server_down_until is not None and i + 1 < len(batch):
                    # The SMTP server failed: the rest would fail the same way; they wait, attempts intact.
                    _defer(db, batch[i + 1:], server_down_until, "mail server unavailable")
                    counts["deferred"] = counts.get("deferred", 0) + len(batch) - i - 1
                    return counts
    finally:
        if mailer:
            mailer.close()
        if http:
            http.close()
    return counts


def run_channel(db, settings, channel: str, window: float = 1.0) -> None:
    """A worker job: send what is due, then wait to be woken (a handler queued something) or for the
    window to pass. Woken, it sends again at once and once more shortly after (the waker's
    transaction may not have committed yet)."""
    event = wakeup(db, channel)
    deadline = time.monotonic() + window
    try:
        dispatch_due(db, settings, channel)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not event.wait(remaining):
                return
            event.clear()
            for pause in (0.01, 0.1):
                time.sleep(pause)
                dispatch_due(db, settings, channel)
    except Exception as exc:  # noqa: BLE001 - Mongo or the network is down: say so, then wait a while
        log(logger, logging.ERROR, "dispatcher pass failed", channel=channel, error=repr(exc))
        time.sleep(max(0.0, deadline - time.monotonic()) + 4)
