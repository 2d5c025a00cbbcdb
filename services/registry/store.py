"""Registry collections and their indexes."""
from __future__ import annotations

import re

from services.registry.rules import normalize

from shared.mongo import Index

STRUCTURES = "structures"

INDEXES = [
    Index(STRUCTURES, [("federation", 1), ("department", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("kind", 1), ("status", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("search_tokens", 1)]),
    Index(STRUCTURES, "finess", {"unique": True, "sparse": True, "name": "finess_unique"}),
]

PUBLIC = {"search_tokens": 0, "name_sort": 0}


def structure_filter(scope: dict, args: dict) -> dict:
    query = dict(scope)
    for key in ("kind", "department", "status"):
        if args.get(key):
            query[key] = args[key]
    if args.get("q"):
        words = normalize(args["q"]).split()
        if words:
            query["$and"] = [{"search_tokens": {"$regex": f"^{re.escape(w)}"}} for w in words]
    return query
