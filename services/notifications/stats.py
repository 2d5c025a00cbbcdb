"""`GET /v1/stats`: what the notifications did for a federation in a year — messages by channel and
status, by category (invitations, reminders…), suppressed ones by reason, webhooks delivered or failed,
reminders fired — the figures of the activity report's notifications section."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from services.notifications.store import DELIVERIES, REMINDERS
from shared.http.auth import Principal


def _year(query: dict, field: str, year: int | None) -> dict:
    if year:
        query[field] = {"$gte": dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc),
                        "$lt": dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc)}
    return query


def stats(db, principal: Principal, args: dict) -> dict:
    scope = principal.scope(args.get("federation"))
    rows = db[DELIVERIES].aggregate([
        {"$match": _year(dict(scope), "created_at", args.get("year"))},
        {"$group": {"_id": {"channel": "$channel", "status": "$status", "category": "$category",
                            "reason": "$reason"}, "n": {"$sum": 1}}}])
    by_channel: dict[str, Counter] = {}
    by_category: Counter = Counter()
    suppressed: Counter = Counter()
    for row in rows:
        key, n = row["_id"], row["n"]
        by_channel.setdefault(key["channel"], Counter())[key["status"]] += n
        if key["channel"] == "email":
            by_category[key.get("category") or "autre"] += n
        if key["status"] == "suppressed":
            suppressed[key.get("reason") or "inconnu"] += n
    reminders = Counter()
    for row in db[REMINDERS].aggregate([{"$match": _year(dict(scope), "fire_at", args.get("year"))},
                                        {"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
        reminders[row["_id"]] += row["n"]
    email, webhook = by_channel.get("email", Counter()), by_channel.get("webhook", Counter())
    return {
        "year": args.get("year"),
        "federation": scope.get("federation") if isinstance(scope.get("federation"), str) else None,
        "emails": {"total": sum(email.values()), "sent": email["sent"], "failed": email["failed"],
                   "suppressed": email["suppressed"], "pending": email["queued"] + email["sending"] + email["retrying"]},
        "webhooks": {"total": sum(webhook.values()), "delivered": webhook["sent"], "failed": webhook["failed"],
                     "pending": webhook["queued"] + webhook["sending"] + webhook["retrying"]},
        "emails_by_category": dict(sorted(by_category.items())),
        "suppressed_by_reason": dict(sorted(suppressed.items())),
        "reminders": {"fired": reminders["fired"], "pending": reminders["pending"],
                      "cancelled": reminders["dropped"] + reminders["skipped"]},
    }


def event_reminders(db, principal: Principal, event_id: str) -> list[dict]:
    """The reminders armed for one meeting: who, which rule, when, and what became of them."""
    query = {**principal.scope(None), "item_id": event_id}
    return [{"id": r["_id"], "rule": r["rule"], "fire_at": r["fire_at"], "status": r["status"],
             "person_id": r.get("person_id"), "recipient_name": (r.get("snapshot") or {}).get("name"),
             "reason": r.get("reason")}
            for r in db[REMINDERS].find(query).sort([("fire_at", 1), ("_id", 1)]).limit(5000)]
