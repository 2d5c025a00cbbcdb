"""What every registry use case needs besides the kit's `shared.access`: its outbox source, the next
version of a document, who reads staff data, a page in name order, the ids a body names (of the
caller's federation, else 422 on that field), and the 410 of an erased person."""
from __future__ import annotations

from http import HTTPStatus

from shared import clock
from shared.bus.outbox import Tx
from shared.errors import DomainError, Forbidden, Invalid, noun
from shared.http.pagination import paginate

SOURCE = "registry"


class Gone(DomainError):
    """The person was erased (GDPR): 410. (The kit's error family has no 410.)"""
    status = HTTPStatus.GONE


def next_version(doc: dict, **changes) -> dict:
    """`doc` with `changes`, one version later, stamped now."""
    return {**doc, **changes, "version": doc["version"] + 1, "updated_at": clock.now()}


def require_staff_reader(principal, detail: str) -> None:
    """Staff of a federation, or a national reader: who reads other people's records and the exports."""
    if not (principal.is_staff or principal.is_national):
        raise Forbidden(detail)


def listed(db, collection: str, query: dict, args: dict, shown, projection: dict | None = None) -> dict:
    """One page of `query` in name order, each document as `shown` shows it."""
    found = paginate(db[collection], query, args, sort=[("name_sort", 1), ("_id", 1)], projection=projection)
    return {**found, "items": [shown(d) for d in found["items"]]}


def named_in_body(tx: Tx, collection: str, key: str, federation: str, *, field: str, what: str,
                  query: dict | None = None) -> dict:
    """The document an id in the body names, if it is of `federation`; else 422 on `field`, with the same
    words for an unknown id and another federation's (nothing says it exists there)."""
    doc = tx.db[collection].find_one({"_id": key, "federation": federation, **(query or {})}, session=tx.session)
    if doc is None:
        raise Invalid(f"{noun(what, capital=True)} {key} introuvable dans cette fédération.", field=field)
    return doc
