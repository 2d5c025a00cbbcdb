"""Key figures (`GET /v1/stats`): what the federations' annual reviews publish.

Structures by kind × status × department, growth per year, progress against the regional targets of
the "4000 MSP" plan (data/msp_targets.json), and the coordinators' profile. Archived structures and
erased people are not counted. Every figure is an aggregation on an indexed `$match`.
"""
from __future__ import annotations

from services.registry import rules, store
from services.registry.store import PEOPLE, STRUCTURES, aggregate, find
from shared.clock import today
from shared.http.auth import Principal
from shared.roles import role_active_on


def _structure_counts(db, scope: dict) -> dict:
    """One pass over the scope's structures: counts per federation × kind × status × department, and per year
    of creation, labelling and ACI."""
    per_year = lambda field: [{"$group": {"_id": f"${field}", "count": {"$sum": 1}}}]  # noqa: E731
    # A structure is counted as created in the year of its own creation date (`created_on`), never in the
    # year it was entered in the registry: the seeds' structures are not "created this year".
    dated = {"created_on": {"$ne": None}}
    [facets] = aggregate(db, STRUCTURES, {**scope, "archived": False}, {"$facet": {
        "cells": [{"$group": {"_id": {"federation": "$federation", "kind": "$kind", "status": "$status",
                                      "department": "$department"}, "count": {"$sum": 1}}}],
        "created": [{"$match": dated}, *per_year("created_year")],
        "creation_unknown": [{"$match": {"created_on": None}}, {"$group": {"_id": None, "count": {"$sum": 1}}}],
        "labellisee": per_year("labellisee_year"), "aci": per_year("aci_year"),
    }})
    return facets


def structures_figures(cells: list[dict]) -> dict:
    merged: dict[tuple, int] = {}
    for row in cells:
        key = (row["_id"]["kind"], row["_id"]["status"], row["_id"]["department"])
        merged[key] = merged.get(key, 0) + row["count"]
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for (kind, status, _), count in merged.items():
        by_kind[kind] = by_kind.get(kind, 0) + count
        by_status[status] = by_status.get(status, 0) + count
    return {"total": sum(merged.values()), "by_kind": by_kind, "by_status": by_status,
            "by_kind_status_department": [{"kind": k, "status": s, "department": d, "count": c}
                                          for (k, s, d), c in sorted(merged.items())]}


def growth_figures(facets: dict) -> list[dict]:
    per_year: dict[int, dict[str, int]] = {}
    for label in ("created", "labellisee", "aci"):
        for row in facets[label]:
            if row["_id"] is not None:
                per_year.setdefault(int(row["_id"]), {})[label] = row["count"]
    return rules.growth(per_year)


def target_figures(cells: list[dict], principal: Principal, federation: str | None) -> list[dict]:
    regions = store.department_region()
    out = []
    for target in store.msp_targets():
        if not principal.can_read(target["federation"]) or (federation and federation != target["federation"]):
            continue
        counts: dict[str, int] = {}
        for row in cells:
            cell = row["_id"]
            if (cell["federation"], cell["kind"]) == (target["federation"], "MSP") \
                    and regions.get(cell["department"]) == target["region"]:
                counts[cell["status"]] = counts.get(cell["status"], 0) + row["count"]
        open_msp = counts.get("labellisee", 0) + counts.get("aci", 0)
        out.append(rules.target_progress(target, open_msp, counts.get("projet", 0)))
    return out


def coordinator_figures(db, scope: dict) -> dict:
    on = today()
    people = find(db, PEOPLE, {**scope, "erased": False, "active_roles": "coordinator"},
                  {"roles": 1, "employment_status": 1, "weekly_coordination_hours": 1, "coordination_mode": 1})
    coordinators = [p for p in people
                    if any(r["role"] == "coordinator" and role_active_on(r, on) for r in p.get("roles", []))]
    return rules.coordinator_profile(coordinators)


def key_figures(db, principal: Principal, args: dict) -> dict:
    scope = principal.scope(args.get("federation"))
    facets = _structure_counts(db, scope)
    growth = growth_figures(facets)
    year = args.get("year")
    return {
        "federation": scope.get("federation") if isinstance(scope.get("federation"), str) else None,
        "year": year, "as_of": today(),
        "structures": {**structures_figures(facets["cells"]),
                       "creation_date_unknown": sum(r["count"] for r in facets["creation_unknown"])},
        "growth": [g for g in growth if g["year"] == year] if year else growth,
        "targets": target_figures(facets["cells"], principal, args.get("federation")),
        "coordinators": coordinator_figures(db, scope),
    }
