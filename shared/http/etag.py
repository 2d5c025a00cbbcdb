"""ETag / If-Match on updates, from the aggregate's `version` (no lost update)."""
from __future__ import annotations

from flask import request

from shared.http.errors import abort


def etag_of(doc: dict) -> str:
    return f'"{doc["_id"]}-{doc.get("version", 0)}"'


def expected_version(doc: dict) -> int:
    """The version an update must apply to: the one the client saw (If-Match) or, without it, the current one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return doc.get("version", 0)
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if etag_of(doc) not in tags:
        abort(412, "The resource changed since you read it (If-Match does not match its ETag); read it again.")
    return doc.get("version", 0)


def with_etag(response_body, doc: dict, status: int = 200):
    return response_body, status, {"ETag": etag_of(doc)}
