"""ETag / If-Match on updates, from the aggregate's `version` (no lost update).

A document is identified by `_id` as stored or `id` as the api shows it: both work here.
"""
from __future__ import annotations

from flask import request

from shared.errors import PreconditionFailed


def etag_of(doc: dict) -> str:
    return f'"{doc.get("_id", doc.get("id"))}-{doc.get("version", 0)}"'


def expected_version(doc: dict) -> int:
    """The version an update must apply to: the one the client saw (If-Match) or, without it, the current one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return doc.get("version", 0)
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if etag_of(doc) not in tags:
        raise PreconditionFailed()
    return doc.get("version", 0)


def with_etag(response_body, doc: dict, status: int = 200, location: str | None = None):
    """The answer with the resource's ETag (and its Location, for a 201)."""
    headers = {"ETag": etag_of(doc)}
    if location:
        headers["Location"] = location
    return response_body, status, headers


def tagged(doc: dict, status: int = 200, location: str | None = None):
    """`doc` as the body, with its ETag."""
    return with_etag(doc, doc, status, location)


def created(doc: dict, location: str | None = None):
    """201, the new resource with its ETag and Location."""
    return with_etag(doc, doc, 201, location)
