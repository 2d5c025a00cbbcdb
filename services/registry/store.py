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

INDEXES = [
    Index(STRUCTURES, [("federation", 1), ("department", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("kind", 1), ("status", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("name_sort", 1)]),
    Index(STRUCTURES, [("name_sort", 1)]),
    Index(STRUCTURES, [("search_tokens", 1)]),
    Index(STRUCTURES, [("federation", 1), ("local_group_id", 1)]),
    Index(STRUCTURES, [("federation", 1), ("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, [("archived", 1), ("kind", 1), ("status", 1), ("department", 1)]),
    Index(STRUCTURES, "finess", {"unique": True, "sparse": True, "name": "finess_unique"}),
    Index(PEOPLE, [("federation", 1), ("name_sort", 1)]),
    Index(PEOPLE, [("name_sort", 1)]),
    Index(PEOPLE, [("federation", 1), ("active_roles", 1)]),
    Index(PEOPLE, [("active_structure_ids", 1)]),
    Index(PEOPLE, [("search_tokens", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1), ("name_sort", 1)]),
    Index(LOCAL_GROUPS, [("contact_person_ids", 1)]),
    Index(TERRITORIES, [("federation", 1), ("name", 1)]),
]

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
