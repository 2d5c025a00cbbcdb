"""The store idioms of every use case: load what the caller may see or 404, save at the version the
caller read or 412, require the caller to manage the federation."""
from __future__ import annotations

from pymongo.database import Database

from shared.errors import Forbidden, NotFound, PreconditionFailed


def load_or_404(db: Database, collection: str, key, principal, *, what: str, session=None,
                projection: dict | None = None) -> dict:
    """The document `key` if the caller's federation may read it (national: any), else NotFound —
    the same answer for another federation's document as for a missing one."""
    doc = db[collection].find_one({"_id": key, **principal.scope()}, projection, session=session)
    if doc is None:
        raise NotFound(what)
    return doc


def replace_at_version(db: Database, collection: str, doc: dict, expected_version: int, *, session=None) -> dict:
    """Write `doc` as version `expected_version + 1`, only if nobody wrote since `expected_version`."""
    new = {**doc, "version": expected_version + 1}
    result = db[collection].replace_one({"_id": doc["_id"], "version": expected_version}, new, session=session)
    if result.matched_count == 0:
        raise PreconditionFailed()
    return new


def require_manager(principal, federation: str | None,
                    detail: str = "Only the federation's staff may do this.", field: str | None = None) -> None:
    if not principal.manages(federation):
        raise Forbidden(detail, field)
