"""Webhooks: other systems receive the federation's domain events (never people's records), signed.

Staff register `url` + `event_types` (patterns); each domain event is fanned out, inside the consumer's
transaction, into one queued delivery per matching hook; the dispatcher POSTs the CloudEvent envelope:
`X-Maillage-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, `X-Maillage-Event-Id`,
`X-Maillage-Event-Type`, `X-Maillage-Delivery` (stable across retries: a receiver deduplicates on it).
2xx = delivered; 410 Gone = the receiver is gone for good, the hook is disabled; anything else (or no
answer) is retried with back-off for about a day.
"""
from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import uuid
from urllib.parse import urlparse

import requests

from services.notifications import deliveries, rules
from services.notifications.store import WEBHOOKS
from shared import clock
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.consumer import topic_matches
from shared.bus.envelope import routing_key_of
from shared.bus.outbox import Tx
from shared.errors import Forbidden, Invalid
from shared.http.auth import Principal
from shared.http.pagination import paginate

TIMEOUT = (5, 10)
READ_ONLY = "Les webhooks d'une autre fédération sont en lecture seule pour vous."


# --- the hooks (staff) ----------------------------------------------------------------------------

def _present(doc: dict) -> dict:
    """A hook as staff read it: its secret is shown once, when it is registered."""
    return {k: v for k, v in doc.items() if k != "secret"}


def _check_target(settings, url: str) -> None:
    refusal = refused_target(url, allow_private(settings), resolve=False)
    if refusal:
        raise Invalid(f"Cette URL ne peut pas recevoir de webhooks : {refusal}.", field="url")


def create_webhook(db, settings, principal: Principal, data: dict) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.manages(federation):
        raise Forbidden("Vous ne pouvez enregistrer des webhooks que pour votre propre fédération.", field="federation")
    _check_target(settings, data["url"])
    at = clock.now()
    doc = {"_id": str(uuid.uuid4()), "federation": federation, "url": data["url"],
           "event_types": data["event_types"], "description": data.get("description"),
           "secret": data.get("secret") or secrets.token_urlsafe(32), "active": True, "disabled_reason": None,
           "created_at": at, "updated_at": at, "created_by": principal.sub, "version": 1}
    db[WEBHOOKS].insert_one(doc)
    return doc


def list_webhooks(db, principal: Principal, args: dict) -> dict:
    query = principal.scope(args.get("federation"))
    if args.get("active") is not None:
        query["active"] = args["active"]
    return paginate(db[WEBHOOKS], query, args, [("created_at", -1), ("_id", 1)], {"secret": 0})


def get_webhook(db, principal: Principal, hook_id: str) -> dict:
    return load_or_404(db, WEBHOOKS, hook_id, principal, what="webhook")


def update_webhook(db, settings, principal: Principal, current: dict, changes: dict, expected_version: int) -> dict:
    require_manager(principal, current["federation"], READ_ONLY)
    if changes.get("url"):
        _check_target(settings, changes["url"])
    sets = {k: v for k, v in changes.items() if v is not None}
    if sets.get("active") is True:
        sets["disabled_reason"] = None
    return _present(replace_at_version(db, WEBHOOKS, {**current, **sets, "updated_at": clock.now()},
                                       expected_version))


def disable(db, hook_id: str, reason: str) -> None:
    """The receiver is gone for good (410): no more deliveries until staff re-enable it."""
    db[WEBHOOKS].update_one({"_id": hook_id}, {"$set": {"active": False, "updated_at": clock.now(),
                                                       "disabled_reason": reason}, "$inc": {"version": 1}})


def delete_webhook(db, principal: Principal, hook_id: str) -> None:
    current = get_webhook(db, principal, hook_id)
    require_manager(principal, current["federation"], READ_ONLY)
    db[WEBHOOKS].delete_one({"_id": hook_id})


# --- fan-out (the webhooks consumer) -----------------------------------------------------------------

def fan_out(envelope: dict, tx: Tx, settings=None) -> None:
    """Queue a domain event for each of the federation's webhooks that asked for its type (or pattern)."""
    routing_key = routing_key_of(envelope["type"])
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for hook in tx.db[WEBHOOKS].find({"federation": envelope.get("federation"), "active": True}, session=tx.session):
        if any(topic_matches(p, routing_key) or p == envelope["type"] for p in hook.get("event_types") or []):
            deliveries.enqueue_webhook(tx, envelope=envelope, hook=hook, body=body)


# --- sending (the dispatcher) -------------------------------------------------------------------------

def allow_private(settings) -> bool:
    """Webhooks to private or loopback addresses (dev, tests): WEBHOOK_ALLOW_PRIVATE."""
    return settings.webhook_allow_private


def _is_private(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast \
        or addr.is_unspecified


def refused_target(url: str, allow_private_targets: bool, resolve: bool = True) -> str | None:
    """Why a webhook URL may not be called, or None. With `resolve`, every address the name resolves
    to is checked (the delivery); without, only literal IPs and `localhost` (the registration)."""
    if allow_private_targets:
        return None
    host = (urlparse(url).hostname or "").lower()
    if not host:
        return "l'URL n'a pas d'hôte"
    if host == "localhost" or host.endswith(".localhost"):
        return "l'URL désigne cette machine"
    try:
        return "l'URL désigne une adresse privée ou locale" if _is_private(host) else None
    except ValueError:
        pass  # a name, not an address
    if not resolve:
        return None
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        return f"impossible de résoudre {host} : {exc}"
    if any(_is_private(info[4][0]) for info in infos):
        return "l'URL se résout en une adresse privée ou locale"
    return None


class WebhookResult:
    def __init__(self, ok: bool, status: int | None, error: str | None = None, gone: bool = False):
        self.ok, self.status, self.error, self.gone = ok, status, error, gone


def post(url: str, secret: str, body: str, *, delivery_id: str, event_id: str, event_type: str,
         session: requests.Session | None = None) -> WebhookResult:
    raw = body.encode("utf-8")
    ts = int(clock.now().timestamp())
    headers = {"Content-Type": "application/cloudevents+json; charset=utf-8",
               "User-Agent": "Maillage-Webhooks/1", "X-Maillage-Signature": rules.sign_webhook(secret, ts, raw),
               "X-Maillage-Event-Id": event_id, "X-Maillage-Event-Type": event_type,
               "X-Maillage-Delivery": delivery_id}
    try:
        response = (session or requests).post(url, data=raw, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        return WebhookResult(False, None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return WebhookResult(True, response.status_code)
    return WebhookResult(False, response.status_code, f"HTTP {response.status_code}: {response.text[:200]}",
                         gone=response.status_code == 410)
