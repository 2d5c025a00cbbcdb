"""Programmes a federation runs (PACTE MSP, PACTE CPTS, SISA co-gérants, gouvernance CPTS…)."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.access import load_to_manage, page_of, shown
from services.training.events import SOURCE
from services.training.store import PROGRAMMES
from shared import clock
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.outbox import atomic
from shared.errors import RuleBroken
from shared.http.auth import Principal



def _duplicate_code() -> RuleBroken:
    return RuleBroken("Cette fédération a déjà un programme avec ce code.", "code")


def create_programme(db, principal: Principal, data: dict) -> dict:
    require_manager(principal, principal.federation)
    stamp = clock.now()
    doc = {"_id": str(uuid.uuid4()), "federation": principal.federation, **data,
           "code": data.get("code") or rules.slug(data["name"]),
           "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}
    try:
        atomic(db, SOURCE, lambda tx: tx.db[PROGRAMMES].insert_one(doc, session=tx.session))
    except DuplicateKeyError:
        raise _duplicate_code() from None
    return shown(doc)


def get_programme(db, principal: Principal, programme_id: str) -> dict:
    return shown(load_or_404(db, PROGRAMMES, programme_id, principal, what="programme"))


def list_programmes(db, principal: Principal, args: dict) -> dict:
    return page_of(db[PROGRAMMES], principal.scope(args.get("federation")), args, [("name", 1), ("_id", 1)], shown,
                   ("code",))


def update_programme(db, principal: Principal, programme_id: str, changes: dict, expected_version: int) -> dict:
    current = load_to_manage(db, PROGRAMMES, programme_id, principal, "programme")
    new = {**current, **changes, "updated_at": clock.now()}
    try:
        return shown(atomic(db, SOURCE, lambda tx: replace_at_version(tx.db, PROGRAMMES, new, expected_version,
                                                                        session=tx.session)))
    except DuplicateKeyError:
        raise _duplicate_code() from None
