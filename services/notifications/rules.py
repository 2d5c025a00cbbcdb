"""Domain rules of notifications: plain functions, no Flask, Mongo or RabbitMQ.

- who an invitation goes to (audience selection from the registry projection),
- whether a message may be sent (consent, preferences, critical categories),
- when reminders fire and when a failed delivery is tried again,
- signatures (unsubscribe tokens, webhook payloads) and deterministic ids.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid

from itsdangerous import SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from shared.errors import Invalid
from shared.audience import role_matches

# --- categories ---------------------------------------------------------------------------------
# A person can switch off any category except the critical ones: a meeting that moved or was
# cancelled must reach them (unless the registry says we may not e-mail them at all).
CATEGORIES = ("invitation", "registration", "reminder", "training", "organizer", "cancellation", "rescheduling")
CRITICAL = frozenset({"cancellation", "rescheduling"})
OPTIONAL = tuple(c for c in CATEGORIES if c not in CRITICAL)
ALL = "all"  # an unsubscribe token for "all" switches off every non-critical category

CATEGORY_LABELS = {
    "invitation": "les invitations aux rencontres et événements",
    "registration": "les confirmations d'inscription",
    "reminder": "les rappels avant un événement",
    "training": "les messages des formations (PACTE…)",
    "organizer": "les alertes aux organisateurs",
    "cancellation": "les annulations",
    "rescheduling": "les changements de date ou de lieu",
    ALL: "tous les messages non essentiels",
}

CHANNELS = ("email", "webhook")
STATUSES = ("queued", "sending", "sent", "retrying", "failed", "suppressed")

# --- people & audience --------------------------------------------------------------------------

def select_audience(people, structures: dict, local_groups: dict, audience: dict, today: dt.date) -> list[dict]:
    """The people an event targets, from the registry projection.

    `audience` = {local_group_ids, structure_kinds, roles} (each optional). A person is in it when one
    of their roles active `today` (shared.roles: start inclusive, end exclusive) matches every dimension that is given: the structure is in one of the
    targeted local groups, the structure is of one of the targeted kinds, the role is one of the
    targeted roles. The contact people of a targeted local group are invited too. An empty audience
    invites nobody (a public event is announced on the agenda, not by e-mail to the whole network).
    """
    groups = [g for g in (audience.get("local_group_ids") or [])]
    kinds = set(audience.get("structure_kinds") or [])
    roles = set(audience.get("roles") or [])
    if not groups and not kinds and not roles:
        return []
    # A group's own member list is authoritative (it carries membership changes with the group's
    # version); a structure's `local_group_id` only stands in for groups we have not seen yet.
    group_structures: set[str] = set()
    contacts: set[str] = set()
    unknown_groups = set()
    for gid in groups:
        group = local_groups.get(gid)
        if group:
            group_structures.update(group.get("structure_ids") or [])
            contacts.update(group.get("contact_person_ids") or [])
        else:
            unknown_groups.add(gid)
    for sid, structure in structures.items():
        if structure.get("local_group_id") in unknown_groups:
            group_structures.add(sid)

    def matches(role: dict) -> bool:
        return role_matches(role, today, roles=roles, kinds=kinds, groups_given=bool(groups),
                            group_structures=group_structures, structures=structures)

    selected = []
    for person in people:
        if person.get("deleted"):
            continue
        if person["_id"] in contacts or any(matches(r) for r in person.get("roles") or []):
            selected.append(person)
    return selected


# --- may we send it? -----------------------------------------------------------------------------


def suppression_reason(*, email: str | None, may_email: bool, erased: bool, opted_out: set[str],
                       category: str) -> str | None:
    """None when the e-mail may go; otherwise why it is suppressed (logged on the delivery)."""
    if erased:
        return "erased"
    if not email:
        return "no_email"
    if not may_email:
        return "may_email_false"
    if category not in CRITICAL and (category in opted_out or ALL in opted_out):
        return "opted_out"
    return None


def check_opt_out(categories) -> list[str]:
    """The categories a person may switch off; Invalid for critical or unknown ones."""
    out = []
    for c in categories:
        if c in CRITICAL:
            raise Invalid(f"`{c}` est une catégorie essentielle : elle ne peut pas être désactivée.", field="opted_out")
        if c not in OPTIONAL and c != ALL:
            raise Invalid(f"Catégorie inconnue : `{c}`.", field="opted_out")
        if c not in out:
            out.append(c)
    return out


# --- time -----------------------------------------------------------------------------------------

def as_utc(value) -> dt.datetime | None:
    """An aware UTC datetime from what an event or Mongo holds: datetime (naive = UTC), date, ISO string."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)


DEFAULT_REMINDER_OFFSETS = (7 * 24 * 3600, 24 * 3600)  # 7 days and 1 day before the start


def reminder_times(starts_at: dt.datetime, offsets=DEFAULT_REMINDER_OFFSETS) -> dict[str, dt.datetime]:
    """rule name -> when it fires, e.g. {"P7D": start - 7 days, "P1D": start - 1 day}."""
    return {offset_name(o): starts_at - dt.timedelta(seconds=o) for o in offsets}


def offset_name(seconds: float) -> str:
    seconds = int(seconds)
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{seconds}S"


EMAIL_BACKOFF = (30, 120, 600, 1800, 7200)  # then failed (about 2.7 hours of trying)
# Webhooks: retried with growing delays for about a day, then failed.
WEBHOOK_BACKOFF = (30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)


def next_attempt(attempts: int, backoff, now: dt.datetime) -> dt.datetime | None:
    """After `attempts` failed attempts: when to try again, or None when it is over."""
    if attempts > len(backoff):
        return None
    return now + dt.timedelta(seconds=backoff[attempts - 1])


# --- ids and signatures ---------------------------------------------------------------------------

_NS = uuid.UUID("6f1c1d1e-8a4e-4e55-9a55-6d61696c6c61")


def delivery_id(origin: str, channel: str, recipient: str) -> str:
    """One delivery per (domain event or reminder, channel, recipient): the id is derived from them,
    so a second attempt to queue the same message finds the first one."""
    return str(uuid.uuid5(_NS, f"{origin}|{channel}|{recipient}"))


def message_id(delivery: str, domain: str = "maillage") -> str:
    """The Message-ID of a delivery's e-mail is derived from the delivery id: if a worker dies after the
    SMTP server accepted a message but before it recorded it, the resent copy carries the same
    Message-ID and mail systems (and people) can recognise it as the same message."""
    return f"<{delivery}@{domain}>"


# Unsubscribe links are dated (itsdangerous): a link found in an old e-mail, a forwarded message or a
# mail archive stops working after this; a recent e-mail carries a fresh one.
UNSUBSCRIBE_LINK_MAX_AGE = dt.timedelta(days=90)
_UNSUBSCRIBE_SALT = "maillage-notifications:unsubscribe"


class _DatedSigner(TimestampSigner):
    """A TimestampSigner whose clock can be set (to sign a link as if sent earlier)."""

    def __init__(self, *args, at: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at

    def get_timestamp(self) -> int:
        return int(self.at) if self.at is not None else super().get_timestamp()


def _unsubscribe_serializer(secret: str, at: dt.datetime | None = None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_UNSUBSCRIBE_SALT, signer=_DatedSigner,
                                  signer_kwargs={"at": at.timestamp() if at else None, "digest_method": hashlib.sha256})


def sign_unsubscribe(secret: str, person_id: str, federation: str, category: str,
                     at: dt.datetime | None = None) -> str:
    """A dated, signed token for one person, federation and category (`at`: when it is signed, default now)."""
    return _unsubscribe_serializer(secret, at).dumps({"p": person_id, "f": federation, "c": category})


class BadToken(ValueError):
    pass


class ExpiredToken(BadToken):
    pass


def verify_unsubscribe(secret: str, token: str, now: dt.datetime | None = None) -> dict:
    """{person_id, federation, category} of a token signed by `sign_unsubscribe` less than
    `UNSUBSCRIBE_LINK_MAX_AGE` ago; ExpiredToken or BadToken otherwise."""
    serializer = _unsubscribe_serializer(secret, now)
    try:
        data = serializer.loads(token, max_age=int(UNSUBSCRIBE_LINK_MAX_AGE.total_seconds()))
        return {"person_id": str(data["p"]), "federation": str(data["f"]), "category": str(data["c"])}
    except SignatureExpired as exc:
        raise ExpiredToken("expired link") from exc
    except Exception as exc:  # noqa: BLE001 - any malformed or forged token is just a bad token
        raise BadToken("bad or malformed token") from exc


def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """`X-Maillage-Signature` value: `t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_webhook(secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = 300) -> bool:
    """What a receiver does (documented for subscribers, and used in tests)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if now is not None and abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign_webhook(secret, timestamp, body), header)

