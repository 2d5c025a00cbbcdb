"""Registry collections, their indexes, query builders, and the reference data shipped as files."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from services.registry.rules import MAX_PREFIX, normalize

from shared.mongo import Index

STRUCTURES = "structures"
PEOPLE = "people"
LOCAL_GROUPS = "local_groups"
TERRITORIES = "territories"

# The embedded SecantusDB planner uses an index only when its leading keys cover every field of the
# filter (otherwise: collection scan; hints make it scan the whole index). So each query shape we serve
# has an index starting with exactly its equality fields — federation, archived / erased, then the
# filters — and `bench/registry_list_stats.py` checks the winning plans. Real MongoDB plans them alike.
INDEXES = [
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("department", 1), ("kind", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("local_group_id", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("membership_years", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("search_prefixes", 1)]),
    Index(STRUCTURES, [("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("archived", 1), ("department", 1), ("kind", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("archived", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("archived", 1), ("has_geo", 1), ("federation", 1), ("kind", 1)]),
    Index(STRUCTURES, "finess", {"unique": True, "sparse": True, "name": "finess_unique"}),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("active_roles", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("active_structure_ids", 1)]),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("search_prefixes", 1)]),
    Index(PEOPLE, [("erased", 1), ("active_roles", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("erased", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("department", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("structure_ids", 1)]),
    Index(LOCAL_GROUPS, [("contact_person_ids", 1)]),
    Index(TERRITORIES, [("federation", 1), ("name", 1)]),
]


def find(db, collection: str, query: dict, projection=None, sort: list | None = None):
    cursor = db[collection].find(query, projection)
    return cursor.sort(sort) if sort else cursor


def aggregate(db, collection: str, match: dict, *stages) -> list[dict]:
    return list(db[collection].aggregate([{"$match": match}, *stages]))


# Derived fields kept for queries, never shown.
HIDDEN = {"search_tokens", "search_prefixes", "has_geo", "name_sort", "created_year", "labellisee_year", "aci_year",
          "active_roles", "active_structure_ids"}
PUBLIC = {name: 0 for name in HIDDEN}


def _text(query: dict, q: str | None) -> None:
    """Every word must start a word of the name or city: equality on stored prefixes (indexable).

    The longest word is the indexed equality; the others are checked too (`$and`)."""
    words = sorted({w[:MAX_PREFIX] for w in normalize(q).split()}, key=len, reverse=True) if q else []
    if words:
        query["search_prefixes"] = words[0]
        if len(words) > 1:
            query["$and"] = [{"search_prefixes": w} for w in words[1:]]


def _matching(scope: dict, args: dict, fields: dict[str, str]) -> dict:
    """`scope`, and each query argument given (`fields`: argument -> stored field) as an equality."""
    return {**scope, **{field: args[arg] for arg, field in fields.items() if args.get(arg) not in (None, "")}}


def structure_filter(scope: dict, args: dict) -> dict:
    query = _matching(scope, args, {"kind": "kind", "department": "department", "status": "status",
                                    "local_group_id": "local_group_id", "member_year": "membership_years",
                                    "multi_site": "multi_site"})
    # Archived structures are listed only when asked for (`?archived=true` lists them with the others).
    if not args.get("archived"):
        query["archived"] = False
    _text(query, args.get("q"))
    return query


def people_filter(scope: dict, args: dict) -> dict:
    query = _matching(scope, args, {"role": "active_roles", "structure_id": "active_structure_ids",
                                    "employment_status": "employment_status",
                                    "coordination_mode": "coordination_mode", "demo": "demo"})
    if not args.get("erased"):
        query["erased"] = False
    _text(query, args.get("q"))
    return query


def group_filter(scope: dict, args: dict) -> dict:
    query = _matching(scope, args, {"department": "department", "structure_id": "structure_ids"})
    if args.get("q"):
        query["name_sort"] = {"$regex": re.escape(normalize(args["q"]))}
    return query


# --- Reference data (files in data/, read-only) -------------------------------------------------------

DATA = Path(__file__).parent / "data"


@functools.cache
def reference(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def regions() -> list[dict]:
    return reference("regions")["regions"]


def departments() -> list[dict]:
    return reference("departments")["departments"]


def department_region() -> dict[str, str]:
    return {d["code"]: d["region"] for d in departments()}


def federations() -> list[dict]:
    keep = ("code", "name", "full_name", "region", "email", "phone", "website", "address")
    return [{k: f.get(k) for k in keep} for f in reference("demo_network")["federations"]]


def msp_targets() -> list[dict]:
    return reference("msp_targets")["targets"]
