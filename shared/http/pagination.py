"""Pagination on every list: `?page=1&per_page=20` -> {items, total, page, per_page}."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

MAX_PER_PAGE = 100


class PageArgs(Schema):
    class Meta:
        unknown = RAISE

    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "total": fields.Int(required=True),
        "page": fields.Int(required=True),
        "per_page": fields.Int(required=True),
    })


def paginate(collection, query: dict, args: dict, sort: list[tuple[str, int]], projection=None) -> dict:
    page, per_page = args.get("page", 1), args.get("per_page", 20)
    cursor = collection.find(query, projection).sort(sort).skip((page - 1) * per_page).limit(per_page)
    return {"items": list(cursor), "total": collection.count_documents(query), "page": page, "per_page": per_page}
