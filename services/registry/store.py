"""Registry collections, their indexes, query builders, and the reference data shipped as files."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from services.registry.rules import normalize

from shared.mongo import Index

STRUCTURES = "structures"
PEOPLE = "people"
LOCAL_GROUPS = "local_groups"
TERRITORIES = "territories"

# Indexes lead with the equality filters every query has (federation, then archived / erased), then the
# filter, then the sort key. Queries name the index to use (`hint_for`): the embedded SecantusDB planner
# falls back to a collection scan when two indexes match equally well; with a hint it never does.
# Among equally good indexes, the first declared wins unless another continues with the sort key.
INDEXES = [
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("department", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("local_group_id", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("archived", 1), ("department", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("archived", 1), ("name_sort", 1)]),
    Index(STRUCTURES, "finess", {"unique": True, "sparse": True, "name": "finess_unique"}),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("active_roles", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("active_structure_ids", 1)]),
    Index(PEOPLE, [("federation", 1), ("erased", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("erased", 1), ("active_roles", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("erased", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("department", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("contact_person_ids", 1)]),
    Index(LOCAL_GROUPS, [("structure_ids", 1)]),
    Index(TERRITORIES, [("federation", 1), ("name", 1)]),
]


def index_name(keys: list[tuple[str, int]]) -> str:
    return "_".join(f"{key}_{direction}" for key, direction in keys)


def hint_for(collection: str, query: dict, sort_key: str | None = None) -> str | None:
    """The declared index whose leading keys match most of the query's equality filters."""
    equal = {k for k, v in query.items() if not k.startswith("$") and not isinstance(v, dict)}
    best, best_score = None, (0, 0)
    for index in INDEXES:
        if index.collection != collection or isinstance(index.keys, str):
            continue
        matched = 0
        for key, _ in index.keys:
            if key not in equal:
                break
            matched += 1
        then_sorted = matched < len(index.keys) and index.keys[matched][0] == sort_key
        score = (matched, int(then_sorted))
        if matched and score > best_score:
            best, best_score = index, score
    return index_name(best.keys) if best else None


def find(db, collection: str, query: dict, projection=None, sort: list | None = None):
    cursor = db[collection].find(query, projection)
    hint = hint_for(collection, query, sort[0][0] if sort else None)
    if hint:
        cursor = cursor.hint(hint)
    return cursor.sort(sort) if sort else cursor


def page(db, collection: str, query: dict, args: dict, sort: list, projection=None) -> dict:
    """`?page=&per_page=` -> {items, total, page, per_page}, on the hinted index."""
    number, per_page = args.get("page", 1), args.get("per_page", 20)
    items = list(find(db, collection, query, projection, sort).skip((number - 1) * per_page).limit(per_page))
    hint = hint_for(collection, query, sort[0][0])
    total = db[collection].count_documents(query, **({"hint": hint} if hint else {}))
    return {"items": items, "total": total, "page": number, "per_page": per_page}


def aggregate(db, collection: str, match: dict, *stages) -> list[dict]:
    hint = hint_for(collection, match)
    return list(db[collection].aggregate([{"$match": match}, *stages], **({"hint": hint} if hint else {})))

# Derived fields kept for queries, never shown.
HIDDEN = {"search_tokens", "name_sort", "created_year", "labellisee_year", "aci_year",
          "active_roles", "active_structure_ids"}
PUBLIC = {name: 0 for name in HIDDEN}


def _text(query: dict, q: str | None) -> None:
    words = normalize(q).split() if q else []
    if words:
        query["$and"] = [{"search_tokens": {"$regex": f"^{re.escape(w)}"}} for w in words]


def structure_filter(scope: dict, args: dict) -> dict:
    query = dict(scope)
    for key in ("kind", "department", "status"):
        if args.get(key):
            query[key] = args[key]
    if args.get("local_group_id"):
        query["local_group_id"] = args["local_group_id"]
    if args.get("member_year"):
        query["membership_years"] = args["member_year"]
    if args.get("multi_site") is not None:
        query["multi_site"] = args["multi_site"]
    # Archived structures are listed only when asked for (`?archived=true` lists them with the others).
    if not args.get("archived"):
        query["archived"] = False
    _text(query, args.get("q"))
    return query


def people_filter(scope: dict, args: dict) -> dict:
    query = dict(scope)
    if args.get("role"):
        query["active_roles"] = args["role"]
    if args.get("structure_id"):
        query["active_structure_ids"] = args["structure_id"]
    for key in ("employment_status", "coordination_mode", "demo"):
        if args.get(key) is not None:
            query[key] = args[key]
    if not args.get("erased"):
        query["erased"] = False
    _text(query, args.get("q"))
    return query


def group_filter(scope: dict, args: dict) -> dict:
    query = dict(scope)
    if args.get("department"):
        query["department"] = args["department"]
    if args.get("structure_id"):
        query["structure_ids"] = args["structure_id"]
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
