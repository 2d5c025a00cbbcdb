"""Demo data for `maillage seed`: the real network from the seeds (data/demo_network.json) — APMSL's seven
local groups and their MSP, FEMAGE's coordinator groups, FemasAURA&Co's territories — and invented
people (flagged `demo`). Everything goes through the use cases, so the events are published too. Structures
are placed at their commune's centre (`geocoding.py`), so the network shows on the public map.

Idempotent: records keep the seed's ids, and what already exists is left alone.
"""
from __future__ import annotations

import datetime as dt

from services.registry import local_groups, people, structures, territories
from services.registry.store import LOCAL_GROUPS, PEOPLE, STRUCTURES, TERRITORIES, reference
from shared.http.auth import Principal

# The seeds list the APMSL teams as members of the coordinators' network in December 2023 without their
# status: an MSP in that network works as one, so the demo shows them labelled (dated by the list).
NETWORK_LIST_DATE = dt.date(2023, 12, 31)
# Invented federation staff, contacts of the local groups (the seeds' real staff are not reproduced).
DEMO_STAFF = {
    "apmsl": [("demo-staff-apmsl-1", "Claire", "Bodin"), ("demo-staff-apmsl-2", "Julien", "Hervé")],
    "femage": [("demo-staff-femage-1", "Nadia", "Keller")],
    "femasaura": [("demo-staff-femasaura-1", "Marion", "Faure")],
}


def _system(federation: str) -> Principal:
    return Principal(sub="seed", federation=federation, roles=frozenset({"admin"}))


def _structures(db, network: dict) -> int:
    added = 0
    for s in network["structures"]:
        if db[STRUCTURES].find_one({"_id": s["id"]}, {"_id": 1}):
            continue
        status = s.get("status") or ("labellisee" if s["kind"] == "MSP" and s["federation"] == "apmsl" else "projet")
        data = {"kind": s["kind"], "name": s["name"], "city": s.get("city") or "(non renseignée)",
                "department": s["department"], "status": status,
                "status_date": NETWORK_LIST_DATE if status != "projet" else None,
                "membership_years": [2023] if s["federation"] == "apmsl" else []}
        structures.register_structure(db, _system(s["federation"]), data, structure_id=s["id"])
        added += 1
    return added


def _territories(db, network: dict) -> int:
    added = 0
    for kind, rows in (("coordination", network.get("territories", [])),
                       ("demarrage", network.get("demarrage_sectors", []))):
        for t in rows:
            if db[TERRITORIES].find_one({"_id": t["code"]}, {"_id": 1}):
                continue
            territories.create_territory(db, _system(t["federation"]),
                                         {"name": t["name"], "departments": t["departments"], "kind": kind},
                                         territory_id=t["code"])
            added += 1
    return added


def _staff(db) -> int:
    added = 0
    for federation, rows in DEMO_STAFF.items():
        for person_id, first, last in rows:
            if db[PEOPLE].find_one({"_id": person_id}, {"_id": 1}):
                continue
            people.register_person(db, _system(federation), {
                "first_name": first, "last_name": last, "demo": True,
                "email": f"{first}.{last}@demo.maillage.invalid".lower(),
                "roles": [{"role": "federation_staff", "start_on": dt.date(2020, 1, 1)}]}, person_id=person_id)
            added += 1
    return added


def _groups(db, network: dict) -> int:
    added = 0
    known = {d["_id"] for d in db[STRUCTURES].find({}, {"_id": 1})}
    for g in network["local_groups"]:
        if db[LOCAL_GROUPS].find_one({"_id": g["code"]}, {"_id": 1}):
            continue
        contacts = [p[0] for p in DEMO_STAFF.get(g["federation"], [])][:1]
        departments = g.get("departments") or []
        local_groups.create_group(db, _system(g["federation"]), {
            "name": g["name"], "label": g.get("label"), "department": departments[0] if len(departments) == 1 else None,
            "structure_ids": [s for s in g.get("structures", []) if s in known], "contact_person_ids": contacts,
        }, group_id=g["code"])
        added += 1
    return added


def _people(db, network: dict) -> int:
    added = 0
    for i, p in enumerate(network["demo_people"]):
        if db[PEOPLE].find_one({"_id": p["id"]}, {"_id": 1}):
            continue
        people.register_person(db, _system(p["federation"]), {
            "first_name": p["first_name"], "last_name": p["last_name"], "email": p.get("email"), "demo": True,
            "employment_status": p.get("employment_status"),
            "weekly_coordination_hours": p.get("weekly_coordination_hours"),
            # The 2023 review: 76 % coordinate alone, 24 % in pairs (the demo spreads it one in four).
            "coordination_mode": "pair" if i % 4 == 3 else "solo",
            "roles": [{"role": r["role"], "structure_id": r["structure"], "start_on": dt.date.fromisoformat(r["since"])}
                      for r in p["roles"]],
        }, person_id=p["id"])
        added += 1
    return added


def load(runtime) -> str:
    runtime.ensure_indexes()
    db = runtime.db
    network = reference("demo_network")
    counts = {"structures": _structures(db, network), "territories": _territories(db, network),
              "staff": _staff(db), "local groups": _groups(db, network), "people": _people(db, network)}
    # Structures seeded before geocoding existed get their commune's centre (new ones got it when registered).
    placed = structures.geocode_missing(db)
    return ", ".join(f"{v} {k}" for k, v in counts.items()) + " added" + (
        f", {placed} structures placed on the map" if placed else "")
