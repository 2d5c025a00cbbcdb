"""The public directory of local groups (no token): what an agenda page names a group by, no personal data.

A group's contacts are people (never shown here); its name, label, department and how many structures it
gathers are what the federations publish on their flyers.
"""
from __future__ import annotations

from services.registry.access import listed
from services.registry.store import LOCAL_GROUPS, group_filter
from shared.errors import NotFound

PUBLIC_FIELDS = {"name": 1, "label": 1, "federation": 1, "department": 1, "structure_ids": 1, "name_sort": 1}


def public_group(doc: dict) -> dict:
    return {"id": doc["_id"], "name": doc["name"], "label": doc.get("label"), "federation": doc["federation"],
            "department": doc.get("department"), "structure_count": len(doc.get("structure_ids") or [])}


def list_public_groups(db, args: dict) -> dict:
    scope = {"federation": args["federation"]} if args.get("federation") else {}
    return listed(db, LOCAL_GROUPS, group_filter(scope, args), args, public_group, PUBLIC_FIELDS)


def get_public_group(db, group_id: str) -> dict:
    doc = db[LOCAL_GROUPS].find_one({"_id": group_id}, PUBLIC_FIELDS)
    if doc is None:
        raise NotFound("local group")
    return public_group(doc)
