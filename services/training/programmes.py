"""Programmes a federation runs (PACTE MSP, PACTE CPTS, SISA co-gérants, gouvernance CPTS…)."""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.service import load, now, require_staff_of, SOURCE
from services.training.store import PROGRAMMES
from shared.bus.outbox import Tx, atomic
from shared.http.auth import Principal
from shared.http.errors import Conflict
from shared.http.pagination import paginate


def present(doc: dict) -> dict:
    return {**{k: v for k, v in doc.items() if k != "_id"}, "id": doc["_id"]}


def create_programme(db, principal: Principal, data: dict) -> dict:
    federation = principal.federation
    require_staff_of(principal, federation)
    stamp = now()
    doc = {"_id": str(uuid.uuid4()), "federation": federation, **data,
           "code": data.get("code") or rules.slug(data["name"]),
           "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}
    try:
        atomic(db, SOURCE, lambda tx: tx.db[PROGRAMMES].insert_one(doc, session=tx.session))
    except DuplicateKeyError:
        raise Conflict("This federation already has a programme with this code.", field="code") from None
    return present(doc)


def get_programme(db, principal: Principal, programme_id: str) -> dict:
    return present(load(db, PROGRAMMES, programme_id, principal, "programme"))


def list_programmes(db, principal: Principal, args: dict) -> dict:
    query = principal.scope(args.get("federation"))
    if args.get("code"):
        query["code"] = args["code"]
    page = paginate(db[PROGRAMMES], query, args, sort=[("name", 1), ("_id", 1)])
    page["items"] = [present(d) for d in page["items"]]
    return page


def update_programme(db, principal: Principal, programme_id: str, changes: dict, expected_version: int) -> dict:
    current = load(db, PROGRAMMES, programme_id, principal, "programme")
    require_staff_of(principal, current["federation"])
    new = {**current, **changes, "version": expected_version + 1, "updated_at": now()}

    def work(tx: Tx) -> None:
        result = tx.db[PROGRAMMES].replace_one({"_id": programme_id, "version": expected_version}, new,
                                               session=tx.session)
        if result.matched_count == 0:
            raise Conflict("The programme changed meanwhile; read it again.", status=412)
    try:
        atomic(db, SOURCE, work)
    except DuplicateKeyError:
        raise Conflict("This federation already has a programme with this code.", field="code") from None
    return present(new)
