"""CSV and XLSX exports of structures and people (staff only), and the public map (GeoJSON, no personal data).

CSV: UTF-8 with a BOM and `;` separators (what a French spreadsheet opens as columns); cells that a
spreadsheet would run as formulas are prefixed with `'`.
"""
from __future__ import annotations

import csv
import io

from services.registry import rules
from services.registry.access import require_staff_reader
from services.registry.people import structure_names, present as present_person
from services.registry.structures import present as present_structure
from services.registry.store import PEOPLE, PUBLIC, STRUCTURES, find, people_filter, structure_filter
from shared.dates import as_date
from shared.http.auth import Principal

MAX_ROWS = 100_000
MAP_MAX_FEATURES = 20_000
SORT = [("name_sort", 1), ("_id", 1)]
EXPORTS_ARE_FOR_STAFF = "Les exports CSV sont réservés à l'équipe de la fédération."

STRUCTURE_COLUMNS = ["id", "federation", "kind", "name", "status", "address", "postal_code", "city", "department",
                     "region", "finess", "siret", "email", "phone", "website", "multi_site", "created_on",
                     "labellisee_on", "aci_on", "closed_on", "local_group_id", "membership_years",
                     "professionals_total", "archived"]
PEOPLE_COLUMNS = ["id", "federation", "last_name", "first_name", "email", "phone", "may_email", "profession",
                  "roles", "employment_status", "weekly_coordination_hours", "coordination_mode",
                  "facilitator_departments", "demo"]


def _csv(columns: list[str], rows) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([rules.csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def structure_rows(db, principal: Principal, args: dict):
    require_staff_reader(principal, EXPORTS_ARE_FOR_STAFF)
    query = structure_filter(principal.scope(args.get("federation")), args)
    docs = find(db, STRUCTURES, query, PUBLIC, SORT).limit(MAX_ROWS)

    def rows():
        for doc in docs:
            s = present_structure(doc)
            yield {**s, "id": s["_id"], "membership_years": " ".join(map(str, s["membership_years"])),
                   "professionals_total": sum(s["professionals"].values()) if s["professionals"] else None}
    return rows()


def people_rows(db, principal: Principal, args: dict):
    require_staff_reader(principal, EXPORTS_ARE_FOR_STAFF)
    query = people_filter(principal.scope(args.get("federation")), args)
    docs = list(find(db, PEOPLE, query, PUBLIC, SORT).limit(MAX_ROWS))
    names = structure_names(db, docs)

    def rows():
        for doc in docs:
            p = present_person(doc, names)
            roles = [f"{r['role']}@{r['structure_name'] or r['structure_id']}" if r["structure_id"] else r["role"]
                     for r in p["roles"] if r["active"]]
            yield {**p, "id": p["_id"], "roles": ", ".join(roles),
                   "facilitator_departments": " ".join(p["facilitator_departments"])}
    return rows()


def structures_csv(db, principal: Principal, args: dict) -> str:
    return _csv(STRUCTURE_COLUMNS, structure_rows(db, principal, args))


def people_csv(db, principal: Principal, args: dict) -> str:
    return _csv(PEOPLE_COLUMNS, people_rows(db, principal, args))


def structures_xlsx(db, principal: Principal, args: dict) -> bytes:
    """The same rows as the CSV, French headers and labels, dates as dates."""
    from services.registry.reports import STRUCTURE_HEADERS, rows_report
    from shared.report_document import to_xlsx

    rows = list(structure_rows(db, principal, args))
    return to_xlsx(rows_report("Structures", STRUCTURE_HEADERS, STRUCTURE_COLUMNS, rows))


def people_xlsx(db, principal: Principal, args: dict) -> bytes:
    from services.registry.reports import PEOPLE_HEADERS, rows_report
    from shared.report_document import to_xlsx

    rows = list(people_rows(db, principal, args))
    return to_xlsx(rows_report("Personnes", PEOPLE_HEADERS, PEOPLE_COLUMNS, rows))


def structure_map(db, args: dict) -> dict:
    """GeoJSON of the structures that have a geo point: kind, name, city, status — no personal data."""
    query = {"archived": False, "has_geo": True}
    for key in ("federation", "kind", "status", "department"):
        if args.get(key):
            query[key] = args[key]
    fields = {"kind": 1, "name": 1, "city": 1, "status": 1, "department": 1, "federation": 1, "geo": 1,
              "labellisee_on": 1, "aci_on": 1}
    docs = find(db, STRUCTURES, query, fields, SORT).limit(MAP_MAX_FEATURES)
    features = [{
        "type": "Feature", "id": d["_id"],
        "geometry": {"type": "Point", "coordinates": [d["geo"]["lon"], d["geo"]["lat"]]},
        "properties": {"kind": d["kind"], "name": d["name"], "city": d["city"], "status": d["status"],
                       "department": d["department"], "federation": d["federation"],
                       "labellisee_on": _iso(d.get("labellisee_on")), "aci_on": _iso(d.get("aci_on"))},
    } for d in docs if d.get("geo")]
    return {"type": "FeatureCollection", "features": features}


def _iso(value):
    value = as_date(value)
    return value.isoformat() if value else None
