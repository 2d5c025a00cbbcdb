"""Webhook deliveries: the CloudEvent envelope POSTed as JSON, signed with the hook's secret.

Headers: `X-Maillage-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`,
`X-Maillage-Event-Id`, `X-Maillage-Event-Type`, `X-Maillage-Delivery` (stable across retries: a
receiver deduplicates on it). 2xx = delivered; 410 Gone = the receiver is gone for good, the hook is
disabled; anything else (or no answer) is retried with back-off for about a day.
"""
from __future__ import annotations

import ipaddress
import os
import socket
import time
from urllib.parse import urlparse

import requests

from services.notifications import rules

TIMEOUT = (5, 10)


def allow_private(settings) -> bool:
    """Webhooks to loopback / private / link-local addresses are refused (a staff member must not be
    able to probe the platform's internal network), unless `WEBHOOK_ALLOW_PRIVATE=true` (dev, tests)."""
    return bool(settings.extra.get("webhook_allow_private",
                                   os.environ.get("WEBHOOK_ALLOW_PRIVATE", "").lower() == "true"))


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
        return "the URL has no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "the URL points to this machine"
    try:
        return "the URL points to a private or local address" if _is_private(host) else None
    except ValueError:
        pass  # a name, not an address
    if not resolve:
        return None
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        return f"cannot resolve {host}: {exc}"
    if any(_is_private(info[4][0]) for info in infos):
        return "the URL resolves to a private or local address"
    return None


class WebhookResult:
    def __init__(self, ok: bool, status: int | None, error: str | None = None, gone: bool = False):
        self.ok, self.status, self.error, self.gone = ok, status, error, gone


def post(url: str, secret: str, body: str, *, delivery_id: str, event_id: str, event_type: str,
         session: requests.Session | None = None) -> WebhookResult:
    raw = body.encode("utf-8")
    ts = int(time.time())
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
