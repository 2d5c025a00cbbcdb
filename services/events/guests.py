"""Outside guests (registered by staff with a name and an e-mail, not in the registry): their erasure.

Staff erase a guest by e-mail; the guest erases themself through the signed link of their e-mails
(`shared/guest_erasure.py`). Like a registry erasure: their registrations keep only what the figures
need (status, dates), and `events.guest.erased` (a digest of the address, not the address) tells
notifications to purge its copies.
"""
from __future__ import annotations

import re

from services.events.events import GUEST_ERASED, SOURCE
from services.events.store import ERASED_PERSONAL_DATA, REGISTRATIONS
from shared import clock, guest_erasure
from shared.access import require_manager
from shared.bus.outbox import Tx, atomic
from shared.errors import Invalid
from shared.http.auth import Principal

def _guest_filter(federation: str, email: str) -> dict:
    # Guests are stored with the address they were registered with; their dedup key holds it lower-cased.
    escaped = re.escape(guest_erasure.normalized(email))
    return {"federation": federation, "guest": True, "dedup_key": {"$regex": f":guest:{escaped}$"}}


def erase(db, federation: str, email: str, by: str) -> dict:
    """Purge every registration of the guest `email` in `federation`; returns {"erased": n}."""
    def work(tx: Tx) -> dict:
        regs = list(tx.db[REGISTRATIONS].find(_guest_filter(federation, email), {"_id": 1, "event_id": 1},
                                              session=tx.session))
        for reg in regs:
            tx.db[REGISTRATIONS].update_one(
                {"_id": reg["_id"]},
                {"$set": {**ERASED_PERSONAL_DATA, "dedup_key": f"{reg['event_id']}:erased:{reg['_id']}", "erased_at": clock.now(),
                          "erased_by": by}},
                session=tx.session)
        tx.emit(GUEST_ERASED, subject=guest_erasure.email_digest(email), sequence=1, federation=federation,
                data={"federation": federation, "email_sha256": guest_erasure.email_digest(email),
                      "registrations": len(regs)})
        return {"erased": len(regs)}

    return atomic(db, SOURCE, work)


def erase_by_staff(db, principal: Principal, email: str) -> dict:
    require_manager(principal, principal.federation, "Seule l'équipe d'une fédération efface un invité.")
    return erase(db, principal.federation, email, principal.sub)


def _claims(settings, token: str) -> dict:
    try:
        return guest_erasure.verify(settings, token)
    except guest_erasure.BadLink as exc:
        raise Invalid(str(exc), field="token") from None


def describe_link(db, settings, token: str) -> dict:
    claims = _claims(settings, token)
    count = db[REGISTRATIONS].count_documents(_guest_filter(claims["federation"], claims["email"]))
    return {"federation": claims["federation"], "email": claims["email"], "registrations": count}


def erase_by_link(db, settings, token: str) -> dict:
    claims = _claims(settings, token)
    return erase(db, claims["federation"], claims["email"], "guest-erasure-link")
