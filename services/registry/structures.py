"""Structures use cases: each checks the rules, writes, and emits its events in one transaction.

A structure's membership of a local group is written here on the structure's side and on the group's
(`leave_group_in_tx`, `set_group_in_tx`): `local_groups.py` uses both, this module knows nothing of it.
"""
from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError

from services.registry import geocoding, rules
from services.registry.access import SOURCE, listed, next_version
from services.registry.events import (
    LOCAL_GROUP_UPDATED, STRUCTURE_ARCHIVED, STRUCTURE_LEFT_GROUP, STRUCTURE_REGISTERED, STRUCTURE_STATUS_CHANGED,
    STRUCTURE_UPDATED, emit_state,
)
from services.registry.store import (
    HIDDEN, LOCAL_GROUPS, PEOPLE, PUBLIC, STRUCTURES, department_region, structure_filter,
)
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.outbox import Tx, atomic
from shared.clock import now, today
from shared.dates import as_date, to_mongo
from shared.errors import Forbidden, Invalid, RuleBroken
from shared.http.auth import Principal
from shared.roles import role_active_on

# Fields every structure shows, even one stored before they existed.
STRUCTURE_DEFAULTS = {"address": None, "geo": None, "multi_site": False, "local_group_id": None,
                      "membership_years": [], "professionals": {}, "archived": False, "insee_code": None,
                      "geo_source": None, "geo_precision": None}
# What says where the commune is: a change of one moves a geocoded point (never a given or corrected one).
WHERE_FIELDS = ("insee_code", "city", "department", "postal_code")
PLACED_BY_PEOPLE = ("given", "corrected")
DATE_FIELDS = ("labellisee_on", "aci_on", "closed_on", "created_on", "archived_on")


def derived(doc: dict) -> dict:
    """Fields kept for queries and key figures (never shown)."""
    doc["name_sort"] = rules.normalize(doc["name"])
    doc["search_prefixes"] = rules.search_prefixes(doc["name"], doc["city"])
    doc.pop("search_tokens", None)
    doc["has_geo"] = bool(doc.get("geo"))
    doc["region"] = department_region().get(doc["department"])
    doc["created_year"] = rules.year_of(doc.get("created_on") or doc.get("created_at"))
    doc["labellisee_year"] = rules.year_of(doc.get("labellisee_on"))
    doc["aci_year"] = rules.year_of(doc.get("aci_on"))
    return doc


def present(doc: dict) -> dict:
    """A stored structure as the API and events show it (dates as dates, no search fields)."""
    out = {**STRUCTURE_DEFAULTS, **{k: v for k, v in doc.items() if k not in HIDDEN}}
    for key in DATE_FIELDS:
        out[key] = as_date(doc.get(key))
    out["status_history"] = [{**h, "date": as_date(h["date"])} for h in doc.get("status_history", [])]
    return out


def geocoded(doc: dict) -> dict:
    """The commune centre of a structure (`geocoding.py`) as fields to set; nothing when its commune is unknown."""
    found = geocoding.locate(insee_code=doc.get("insee_code"), city=doc.get("city"),
                             department=doc.get("department"), postal_code=doc.get("postal_code"))
    if found is None:
        return {}
    return {"geo": {"lat": found.lat, "lon": found.lon}, "geo_source": "geocoded", "geo_precision": found.precision,
            "insee_code": doc.get("insee_code") or found.insee_code}


def check_commune(doc: dict) -> None:
    """An INSEE code given must be a commune of France, in the structure's department."""
    code = doc.get("insee_code")
    if not code:
        return
    commune = geocoding.gazetteer().by_code.get(code)
    if commune is None:
        raise Invalid(f"Aucune commune n'a le code INSEE {code} (Code officiel géographique 2026).", field="insee_code")
    if doc.get("department") and commune.department != doc["department"]:
        raise Invalid(f"La commune {code} ({commune.name}) est dans le département {commune.department}, "
                      f"pas dans le {doc['department']}.", field="insee_code")


def placed(values: dict) -> dict:
    """A new structure's point: the one given, else its commune's centre."""
    if values.get("geo"):
        return {"geo_source": "given", "geo_precision": None}
    return geocoded(values)


def replaced(current: dict, changes: dict) -> dict:
    """A change's point: a `geo` sent (a point, or null to take it off the map) is a correction that sticks;
    a geocoded point follows the commune."""
    if "geo" in changes:
        return {"geo_source": "corrected", "geo_precision": None}
    moved = any(k in changes and changes[k] != current.get(k) for k in WHERE_FIELDS)
    if "insee_code" in changes or ("department" in changes and current.get("insee_code")):
        check_commune({**current, **changes})
    # A point stored before geocoding existed (no `geo_source`) was given by someone: it stays too.
    placed_by_people = current.get("geo_source") in PLACED_BY_PEOPLE or (current.get("geo") and not current.get(
        "geo_source"))
    if placed_by_people or not (moved or not current.get("geo")):
        return {}
    merged = {**current, **changes}
    if "insee_code" not in changes and any(k in changes for k in WHERE_FIELDS):
        merged["insee_code"] = None  # the old code would win over the new city
    return geocoded(merged) or ({"geo": None, "geo_source": None, "geo_precision": None} if moved else {})


def emit_updated(tx: Tx, new: dict, changed) -> None:
    """Full state on every change (projections need only this one), and which fields changed."""
    emit_state(tx, STRUCTURE_UPDATED, new, {**present(new), "changed": sorted(changed)})


def _saved(db, work):
    try:
        return present(atomic(db, SOURCE, work))
    except DuplicateKeyError as exc:
        if "finess" in str(exc):
            raise RuleBroken("Une structure avec ce numéro FINESS est déjà enregistrée.", field="finess") from None
        raise


def register_structure(db, principal: Principal, data: dict, *, structure_id: str | None = None) -> dict:
    federation = data.pop("federation", None) or principal.federation
    if not principal.can_write(federation):
        raise Forbidden("Vous ne pouvez enregistrer des structures que dans votre propre fédération.", field="federation")
    status = data.pop("status", "projet")
    status_date = data.pop("status_date", None) or today()
    stamp = now()
    values = {k: v for k, v in data.items() if v is not None}
    check_commune(values)
    values.update(placed(values))
    if "created_on" in values:
        values["created_on"] = to_mongo(values["created_on"])
    doc = {"_id": structure_id or str(uuid.uuid4()), "federation": federation, **STRUCTURE_DEFAULTS, **values,
           "status": status, "status_history": [{"from": None, "to": status, "date": to_mongo(status_date),
                                                  "by": principal.sub}],
           "archived_on": None, "version": 1, "created_at": stamp, "updated_at": stamp, "created_by": principal.sub}
    # A structure registered past `projet` is dated for every step it went through.
    for step in rules.STATUSES[1:rules.STATUSES.index(status) + 1] if status != "fermee" else ["fermee"]:
        doc[rules.STATUS_DATE_FIELD[step]] = to_mongo(status_date)
    derived(doc)

    def work(tx: Tx) -> dict:
        tx.db[STRUCTURES].insert_one(doc, session=tx.session)
        emit_state(tx, STRUCTURE_REGISTERED, doc, present(doc))
        return doc

    return _saved(db, work)


def find_readable(db, principal: Principal, structure_id: str) -> dict:
    return load_or_404(db, STRUCTURES, structure_id, principal, what="structure")


def get_structure(db, principal: Principal, structure_id: str) -> dict:
    return present(find_readable(db, principal, structure_id))


def list_structures(db, principal: Principal, args: dict) -> dict:
    query = structure_filter(principal.scope(args.get("federation")), args)
    return listed(db, STRUCTURES, query, args, present, PUBLIC)


def coordinates(db, principal: Principal, structure: dict) -> bool:
    """Is the caller (token `sub` = their person id) a current coordinator of this structure?"""
    if "coordinator" not in principal.roles or principal.federation != structure["federation"]:
        return False
    person = db[PEOPLE].find_one({"_id": principal.sub, "federation": structure["federation"], "erased": False},
                                 {"roles": 1})
    on = today()
    return bool(person) and any(
        r["role"] == "coordinator" and r.get("structure_id") == structure["_id"] and role_active_on(r, on)
        for r in person.get("roles", []))


def _check_may_update(db, principal: Principal, current: dict, fields: set[str]) -> None:
    if principal.manages(current["federation"]):
        return
    if coordinates(db, principal, current):
        rules.check_coordinator_change(fields)
        return
    raise Forbidden("Seule l'équipe de la fédération peut modifier une structure (ou son coordinateur, pour ses "
                    "coordonnées).")


def update_structure(db, principal: Principal, structure_id: str, changes: dict, expected_version: int) -> dict:
    current = find_readable(db, principal, structure_id)
    _check_may_update(db, principal, current, set(changes))
    if current.get("archived"):
        raise RuleBroken("Une structure archivée est en lecture seule ; restaurez-la d'abord.", field="archived")
    target_status = changes.pop("status", None)
    status_date = changes.pop("status_date", None) or today()
    if "created_on" in changes:
        changes["created_on"] = to_mongo(changes["created_on"])
    changes = {**changes, **replaced(current, changes)}
    updates = {k: v for k, v in changes.items() if current.get(k) != v}
    unset = [k for k, v in updates.items() if v is None]
    sets = {k: v for k, v in updates.items() if v is not None}
    status_change = None
    if target_status is not None and target_status != current["status"]:
        rules.check_transition(current["status"], target_status)
        if status_date < as_date(current["status_history"][-1]["date"]):
            raise RuleBroken("Un statut ne peut pas prendre effet avant le précédent.", field="status_date")
        status_change = {"from": current["status"], "to": target_status, "date": to_mongo(status_date),
                         "by": principal.sub}
        sets["status"] = target_status
        sets[rules.STATUS_DATE_FIELD[target_status]] = to_mongo(status_date)
    if not sets and not unset:
        return present(current)
    new = {**current, **sets, "updated_at": now()}
    for key in unset:
        new.pop(key, None)
    derived(new)
    if status_change:
        new["status_history"] = [*current["status_history"], status_change]

    def work(tx: Tx) -> dict:
        saved = replace_at_version(tx.db, STRUCTURES, new, expected_version, session=tx.session)
        emit_updated(tx, saved, {*sets, *unset})
        if status_change:
            emit_state(tx, STRUCTURE_STATUS_CHANGED, saved, {
                "id": structure_id, "federation": saved["federation"], "kind": saved["kind"], "name": saved["name"],
                "department": saved["department"], "from": status_change["from"], "to": status_change["to"],
                "date": status_date})
        return saved

    return _saved(db, work)


def _replace(tx: Tx, new: dict, changed: set[str]) -> dict:
    derived(new)
    tx.db[STRUCTURES].replace_one({"_id": new["_id"]}, new, session=tx.session)
    emit_updated(tx, new, changed)
    return new


def leave_group_in_tx(tx: Tx, structure: dict) -> None:
    """The group side of a structure leaving its current group (events: left_group + local_group.updated)."""
    group = tx.db[LOCAL_GROUPS].find_one({"_id": structure["local_group_id"]}, session=tx.session)
    if group is None:
        return
    group = next_version(group, structure_ids=[s for s in group["structure_ids"] if s != structure["_id"]])
    tx.db[LOCAL_GROUPS].replace_one({"_id": group["_id"]}, group, session=tx.session)
    emit_state(tx, STRUCTURE_LEFT_GROUP, group, subject=structure["_id"], data={
        "structure_id": structure["_id"], "local_group_id": group["_id"], "federation": group["federation"]})
    emit_state(tx, LOCAL_GROUP_UPDATED, group)


def set_group_in_tx(tx: Tx, structure: dict, group_id: str | None) -> None:
    """The structure side of a membership change: its `local_group_id` (event: structure.updated)."""
    _replace(tx, next_version(structure, local_group_id=group_id), {"local_group_id"})


def archive_structure(db, principal: Principal, structure_id: str, archived_on=None) -> dict:
    """Soft delete: the structure leaves its local group and is listed only with `?archived=true`."""
    current = find_readable(db, principal, structure_id)
    require_manager(principal, current["federation"])
    if current.get("archived"):
        raise RuleBroken("La structure est déjà archivée.", field="archived")
    on = archived_on or today()

    def work(tx: Tx) -> dict:
        doc = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
        changed = {"archived", "archived_on"}
        if doc.get("local_group_id"):
            leave_group_in_tx(tx, doc)
            changed.add("local_group_id")
        new = _replace(tx, next_version(doc, archived=True, archived_on=to_mongo(on), local_group_id=None), changed)
        emit_state(tx, STRUCTURE_ARCHIVED, new, {"id": structure_id, "federation": new["federation"],
                                                 "archived_on": on})
        return new

    return present(atomic(db, SOURCE, work))


def restore_structure(db, principal: Principal, structure_id: str) -> dict:
    current = find_readable(db, principal, structure_id)
    require_manager(principal, current["federation"])
    if not current.get("archived"):
        raise RuleBroken("La structure n'est pas archivée.", field="archived")

    def work(tx: Tx) -> dict:
        doc = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
        return _replace(tx, next_version(doc, archived=False, archived_on=None), {"archived", "archived_on"})

    return present(atomic(db, SOURCE, work))


def geocode_missing(db, federation: str | None = None) -> int:
    """Places the structures that have no point and no correction at their commune's centre (seeded or stored
    before geocoding existed); an unknown commune stays off the map. Returns how many were placed."""
    query = {"has_geo": False, "archived": False, "geo_source": {"$nin": list(PLACED_BY_PEOPLE)}}
    if federation:
        query["federation"] = federation
    placed_count = 0
    for doc in list(db[STRUCTURES].find(query, {"_id": 1})):
        def work(tx: Tx, structure_id=doc["_id"]) -> bool:
            current = tx.db[STRUCTURES].find_one({"_id": structure_id}, session=tx.session)
            point = geocoded(current) if current and not current.get("geo") else {}
            if not point:
                return False
            _replace(tx, next_version(current, **point), set(point))
            return True
        placed_count += bool(atomic(db, SOURCE, work))
    return placed_count


def my_structures(db, principal: Principal) -> list[dict]:
    """The structures the caller coordinates today, each with the fields they may change (their contact data);
    staff change every field of their federation's structures through the same PATCH."""
    if "coordinator" not in principal.roles or not principal.sub:
        return []
    person = db[PEOPLE].find_one({"_id": principal.sub, "federation": principal.federation, "erased": False},
                                 {"roles": 1})
    on = today()
    ids = sorted({r["structure_id"] for r in (person or {}).get("roles", [])
                  if r["role"] == "coordinator" and r.get("structure_id") and role_active_on(r, on)})
    docs = db[STRUCTURES].find({"_id": {"$in": ids}, "federation": principal.federation})
    return [{"structure": present(d), "editable_fields": sorted(rules.CONTACT_FIELDS)}
            for d in sorted(docs, key=lambda d: d.get("name_sort", ""))]
