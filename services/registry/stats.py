"""Key figures (`GET /v1/stats`): what the federations' annual reviews publish.

Structures by kind × status × department, growth per year, progress against the regional targets of
the "4000 MSP" plan (data/msp_targets.json), and the coordinators' profile. Archived structures and
erased people are not counted. Every figure is an aggregation on an indexed `$match`.
"""
from __future__ import annotations

from services.registry import rules, store
from services.registry.dates import today
from services.registry.people import roles_of
from services.registry.store import PEOPLE, STRUCTURES, aggregate, find
from shared.http.auth import Principal


def _group(db, match: dict, key) -> list[dict]:
    return aggregate(db, STRUCTURES, match, {"$group": {"_id": key, "count": {"$sum": 1}}})


def structures_figures(db, scope: dict) -> dict:
    match = {**scope, "archived": False}
    rows = _group(db, match, {"kind": "$kind", "status": "$status", "department": "$department"})
    cells = sorted(({**r["_id"], "count": r["count"]} for r in rows),
                   key=lambda r: (r["kind"], r["status"], r["department"]))
    by_kind: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for cell in cells:
        by_kind[cell["kind"]] = by_kind.get(cell["kind"], 0) + cell["count"]
        by_status[cell["status"]] = by_status.get(cell["status"], 0) + cell["count"]
    return {"total": sum(c["count"] for c in cells), "by_kind": by_kind, "by_status": by_status,
            "by_kind_status_department": cells}


def growth_figures(db, scope: dict) -> list[dict]:
    match = {**scope, "archived": False}
    per_year: dict[int, dict[str, int]] = {}
    for label, field in (("created", "created_year"), ("labellisee", "labellisee_year"), ("aci", "aci_year")):
        for row in _group(db, match, f"${field}"):
            if row["_id"] is not None:
                per_year.setdefault(int(row["_id"]), {})[label] = row["count"]
    return rules.growth(per_year)


def target_figures(db, principal: Principal, federation: str | None) -> list[dict]:
    regions = store.department_region()
    out = []
    for target in store.msp_targets():
        if not principal.can_read(target["federation"]) or (federation and federation != target["federation"]):
            continue
        departments = sorted(code for code, region in regions.items() if region == target["region"])
        match = {"federation": target["federation"], "archived": False, "kind": "MSP",
                 "department": {"$in": departments}}
        counts = {r["_id"]: r["count"] for r in _group(db, match, "$status")}
        open_msp = counts.get("labellisee", 0) + counts.get("aci", 0)
        out.append(rules.target_progress(target, open_msp, counts.get("projet", 0)))
    return out


def coordinator_figures(db, scope: dict) -> dict:
    on = today()
    people = find(db, PEOPLE, {**scope, "erased": False, "active_roles": "coordinator"},
                  {"roles": 1, "employment_status": 1, "weekly_coordination_hours": 1, "coordination_mode": 1})
    coordinators = [p for p in people
                    if any(r["role"] == "coordinator" and rules.role_active(r, on) for r in roles_of(p))]
    return rules.coordinator_profile(coordinators)


def key_figures(db, principal: Principal, args: dict) -> dict:
    scope = principal.scope(args.get("federation"))
    return {
        "federation": scope.get("federation") if isinstance(scope.get("federation"), str) else None,
        "structures": structures_figures(db, scope),
        "growth": growth_figures(db, scope),
        "targets": target_figures(db, principal, args.get("federation")),
        "coordinators": coordinator_figures(db, scope),
    }
