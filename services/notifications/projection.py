"""What notifications keeps of the registry (people, structures, local groups: who an invitation goes to,
who may be e-mailed), applied only when newer (`shared.projection.apply_if_newer`), and the erasures.

Erasure: a person erased in the registry (a tombstone no later event can undo), or an outside guest erased
in events, leaves here no address, name or content. Preferences and reminders go; what is still queued is
suppressed; delivery records keep only what the log needs (status, dates, event type)."""
from __future__ import annotations

from services.notifications.contexts import Ctx
from services.notifications.store import (
    DELIVERIES, LOCAL_GROUPS, PEOPLE, PERSONAL_DELIVERY_FIELDS, PREFERENCES, REGISTRATIONS, REMINDERS, STRUCTURES,
)
from shared import clock, guest_erasure
from shared.bus.outbox import Tx
from shared.projection import apply_if_newer, erase


def project_person(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, PEOPLE, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "first_name": d.get("first_name"),
        "last_name": d.get("last_name"), "email": d.get("email"), "phone": d.get("phone"),
        "may_email": bool(d.get("may_email", False)), "demo": bool(d.get("demo", False)),
        "roles": d.get("roles") or [], "deleted": False})


def erase_person(ctx: Ctx) -> None:
    pid = ctx.data.get("id") or ctx.envelope["subject"]
    erase(ctx.tx, PEOPLE, pid, ctx.envelope, keep={"federation": ctx.federation})
    forget_registrations(ctx.tx, {"person_id": pid})
    purge_person(ctx.tx, pid)


def erase_guest(ctx: Ctx) -> None:
    """events.guest.erased: the outside guest's registrations and deliveries keep no address or name."""
    purge_guest(ctx.tx, ctx.data.get("federation") or ctx.federation, ctx.data["email_sha256"])


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


# --- erasure ------------------------------------------------------------------------------------------

def _strip_deliveries(tx: Tx, query: dict, forget: dict) -> int:
    """Suppress what is still queued, then strip the personal fields of every delivery matching `query`."""
    at = clock.now()
    tx.db[DELIVERIES].update_many(
        {**query, "status": {"$in": ["queued", "retrying"]}},
        {"$set": {"status": "suppressed", "reason": "erased", "updated_at": at},
         "$push": {"attempts": {"n": 0, "at": at, "outcome": "suppressed", "reason": "erased"}}}, session=tx.session)
    result = tx.db[DELIVERIES].update_many(
        query, {"$unset": {f: "" for f in PERSONAL_DELIVERY_FIELDS},
                "$set": {**forget, "recipient_key": None, "erased": True, "updated_at": at}}, session=tx.session)
    return result.modified_count


def forget_registrations(tx: Tx, query: dict) -> None:
    """Registrations in our projection keep no address or name."""
    tx.db[REGISTRATIONS].update_many(query, {"$unset": {"email": "", "first_name": "", "last_name": ""},
                                             "$set": {"may_email": False}}, session=tx.session)


def purge_person(tx: Tx, person_id: str) -> None:
    tx.db[PREFERENCES].delete_one({"_id": person_id}, session=tx.session)
    tx.db[REMINDERS].delete_many({"person_id": person_id}, session=tx.session)
    _strip_deliveries(tx, {"person_id": person_id}, {"person_id": None})


def purge_guest(tx: Tx, federation: str, email_sha256: str) -> int:
    """An outside guest erased in events: like `purge_person`, found by their address's digest (their
    registrations here give the address; guests' recipient keys are `guest:<address>`)."""
    s = tx.session
    matches = lambda email: bool(email) and guest_erasure.email_digest(email) == email_sha256  # noqa: E731
    emails = {r["email"] for r in tx.db[REGISTRATIONS].find(
        {"federation": federation, "person_id": None, "email": {"$ne": None}}, {"email": 1}, session=s)
        if matches(r.get("email"))}
    keys = {d["recipient_key"] for d in tx.db[DELIVERIES].find(
        {"federation": federation, "recipient_key": {"$regex": "^guest:"}}, {"recipient_key": 1}, session=s)
        if matches(d["recipient_key"].removeprefix("guest:"))}
    emails |= {k.removeprefix("guest:") for k in keys}
    variants = sorted(emails | {e.lower() for e in emails})
    count = _strip_deliveries(tx, {"federation": federation, "$or": [{"recipient_key": {"$in": sorted(keys)}},
                                                                     {"recipient.email": {"$in": variants}}]}, {})
    tx.db[PREFERENCES].delete_many({"_id": {"$in": sorted(keys)}}, session=s)
    forget_registrations(tx, {"federation": federation, "person_id": None, "email": {"$in": variants}})
    return count
