"""Webhook deliveries: the CloudEvent envelope POSTed as JSON, signed with the hook's secret.

Headers: `X-Maillage-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`,
`X-Maillage-Event-Id`, `X-Maillage-Event-Type`, `X-Maillage-Delivery` (stable across retries: a
receiver deduplicates on it). 2xx = delivered; 410 Gone = the receiver is gone for good, the hook is
disabled; anything else (or no answer) is retried with back-off for about a day.
"""
from __future__ import annotations

import time

import requests

from services.notifications import rules

TIMEOUT = (5, 10)


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
