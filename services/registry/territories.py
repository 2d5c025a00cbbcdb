"""Territories: regions and departments (INSEE, shipped as data, read-only), federations, and each
federation's own groupings of departments (FemasAURA&Co's Ouest / Centre / Est coordination territories,
its start-up coordination sectors)."""
from __future__ import annotations

import re
import uuid

from services.registry import store
from services.registry.store import TERRITORIES
from shared.access import load_or_404, replace_at_version, require_manager
from shared.clock import now
from shared.errors import Invalid
from shared.http.auth import Principal
from shared.http.pagination import paginate


def _page(items: list, args: dict) -> dict:
    page, per_page = args.get("page", 1), args.get("per_page", 20)
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "total": len(items), "page": page, "per_page": per_page}


def list_regions(args: dict) -> dict:
    return _page(store.regions(), args)


def list_departments(args: dict) -> dict:
    items = [d for d in store.departments() if not args.get("region") or d["region"] == args["region"]]
    return _page(items, args)


def list_federations(args: dict) -> dict:
    return _page(store.federations(), args)


def _check_departments(departments: list[str]) -> None:
    known = store.department_region()
    unknown = [d for d in departments if d not in known]
    if unknown:
        raise Invalid(f"Département(s) inconnu(s) : {', '.join(unknown)}.", field="departments")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def create_territory(db, principal: Principal, data: dict, *, territory_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    require_manager(principal, federation, "Seule l'équipe de la fédération peut définir ses territoires.")
    _check_departments(data["departments"])
    stamp = now()
    doc = {"_id": territory_id or f"{federation}-{_slug(data['name'])}-{uuid.uuid4().hex[:6]}",
           "federation": federation, **data, "version": 1, "created_at": stamp, "updated_at": stamp}
    db[TERRITORIES].insert_one(doc)
    return doc


def get_territory(db, principal: Principal, territory_id: str) -> dict:
    return load_or_404(db, TERRITORIES, territory_id, principal, what="territory")


def list_territories(db, principal: Principal, args: dict) -> dict:
    query = principal.scope(args.get("federation"))
    if args.get("department"):
        query["departments"] = args["department"]
    return paginate(db[TERRITORIES], query, args, sort=[("federation", 1), ("name", 1), ("_id", 1)])


def update_territory(db, principal: Principal, territory_id: str, changes: dict, expected_version: int) -> dict:
    current = get_territory(db, principal, territory_id)
    require_manager(principal, current["federation"], "Seule l'équipe de la fédération peut modifier ses territoires.")
    if "departments" in changes:
        _check_departments(changes["departments"])
    return replace_at_version(db, TERRITORIES, {**current, **changes, "updated_at": now()}, expected_version)
