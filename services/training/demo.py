"""Demo data from the seeds (`maillage seed`): the federations' programmes and their promotions.

FemasAURA&Co's 2024 report gives promotions, cities, head counts and a few seminar dates, but no
learner by name: those head counts are kept as `legacy_learners` so the figures add up ("38 formés
PACTE MSP") without inventing people. Idempotent: stable ids, inserted only when absent.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from services.training import rules
from services.training.events import programme_ref
from services.training.store import COHORTS, PROGRAMMES, SEMINARS
from shared.clock import now
from shared.dates import to_mongo as mongo_date

DATA = Path(__file__).parent / "data" / "demo_training.json"
STRUCTURE_KINDS = {"pacte-msp": ["MSP"], "pacte-cpts": ["CPTS"], "sisa-co-gerants": ["MSP"],
                   "gouvernance-cpts": ["CPTS"]}
STATUS = {"in_progress_2024": "in_progress", "announced": "open", "completed": "completed"}


def _date(value) -> dt.date | None:
    """Seeds give `2024-06-20` or just `2023` (then the first of that year)."""
    if not value:
        return None
    text = str(value)
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.date(int(text[:4]), 1, 1)


def _themes(raw: list) -> list[dict]:
    return [t if isinstance(t, dict) else {"theme": t} for t in raw]


def programmes(data: dict) -> list[dict]:
    out = []
    for p in data["programmes"]:
        for federation in p.get("federations", []):
            fmt = p.get("format") or {}
            out.append({
                "_id": f"{federation}-{p['code']}", "federation": federation, "code": p["code"], "name": p["name"],
                "full_name": p.get("full_name"), "audience": p.get("audience"),
                "structure_kinds": STRUCTURE_KINDS.get(p["code"], []), "certification": p.get("certification"),
                "seminar_themes": _themes(p.get("seminar_themes", [])), "required_deliverables": [],
                "days_per_seminar": fmt.get("days_per_seminar") or fmt.get("days"),
                "absence_threshold": rules.DEFAULT_ABSENCE_THRESHOLD, "source": p.get("source"), "demo": True,
            })
    return out


def cohorts(data: dict, by_id: dict) -> tuple[list[dict], list[dict]]:
    out, seminars = [], []
    for c in data["cohorts"]:
        programme = by_id[f"{c['federation']}-{c['programme']}"]
        status = STATUS.get(c.get("status"), "open")
        learners = c.get("learners")
        # Promotion 2 of PACTE CPTS has no head count yet: as many seats as the first one (an assumption).
        seats = learners or 21
        cohort = {
            "_id": c["id"], "federation": c["federation"], "programme_id": programme["_id"],
            "programme": programme_ref(programme), "number": c["number"], "name": c["name"], "city": c.get("city"),
            "department": c.get("department"), "seats": seats, "trainers": [],
            "applications_close_on": None, "starts_on": mongo_date(_date(c.get("started"))), "ends_on": None,
            "absence_threshold": rules.DEFAULT_ABSENCE_THRESHOLD, "status": status,
            "status_history": [{"from": None, "to": status, "at": now(), "by": "seed"}],
            "committee": {"sat_on": None, "members": [{"name": b, "body": "ars" if "ARS" in b else "federation"}
                                                      for b in c["selection"]["by"]]} if c.get("selection") else None,
            "selection_closed_at": now() if status == "in_progress" else None,
            "taken": learners or 0, "legacy_learners": learners, "legacy_applications": c.get("applications_min"),
            "source": c.get("source"), "note": c.get("note"), "demo": True,
        }
        out.append(cohort)
        for i, s in enumerate(c.get("seminars", []) if isinstance(c.get("seminars"), list) else []):
            start, end = _date(s.get("start")), _date(s.get("end"))
            if not start or not end:
                continue  # a seminar the report mentions without dates
            themes = s.get("themes") or ["Décryptage" if c["programme"] == "pacte-cpts" else "Prise de poste"]
            seminars.append({
                "_id": f"{c['id']}-seminar-{i + 1}", "federation": c["federation"], "cohort_id": c["id"],
                "theme": themes[0], "starts_on": mongo_date(start), "ends_on": mongo_date(end),
                "place": {"name": None, "address": None, "city": s.get("city") or c.get("city") or "à préciser"},
                "with_leaders": bool(s.get("with_leaders")), "trainers": [],
                "half_days": rules.half_days(start, end), "status": "scheduled", "history": [],
                "note": s.get("note"), "demo": True})
    for t in data.get("training_sessions", []):
        if not t.get("year"):
            continue  # sessions the report mentions without a year
        programme = by_id[f"{t['federation']}-{t['programme']}"]
        cities = [s.get("city") for s in t.get("sessions", []) if s.get("city")]
        dates = [s["date"] for s in t.get("sessions", []) if s.get("date")]
        start = _date(dates[0]) if dates else dt.date(t["year"], 1, 1)
        out.append({
            "_id": t["id"], "federation": t["federation"], "programme_id": programme["_id"],
            "programme": programme_ref(programme), "number": t["year"],
            "name": f"{programme['name']} {t['year']}" + (f" — {', '.join(cities)}" if len(cities) <= 2 and cities
                                                          else f" — {t.get('session_count')} sessions"),
            "city": cities[0] if len(cities) == 1 else None, "department": None,
            "seats": t.get("participants") or 1, "trainers": [], "applications_close_on": None,
            "starts_on": mongo_date(start), "ends_on": mongo_date(_date(dates[-1]) if dates else dt.date(t["year"], 12, 31)),
            "absence_threshold": rules.DEFAULT_ABSENCE_THRESHOLD, "status": "completed",
            "status_history": [{"from": None, "to": "completed", "at": now(), "by": "seed"}], "committee": None,
            "selection_closed_at": None, "taken": t.get("participants") or 0,
            "legacy_learners": t.get("participants"), "legacy_applications": None, "sessions": cities,
            "source": t.get("source"), "note": t.get("note"), "demo": True,
        })
    return out, seminars


def load(runtime) -> str:
    runtime.ensure_indexes()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    db = runtime.db
    stamp = now()
    progs = programmes(data)
    by_id = {p["_id"]: p for p in progs}
    cohort_docs, seminar_docs = cohorts(data, by_id)
    added = {"programmes": 0, "cohorts": 0, "seminars": 0}
    for collection, docs, key in ((PROGRAMMES, progs, "programmes"), (COHORTS, cohort_docs, "cohorts"),
                                  (SEMINARS, seminar_docs, "seminars")):
        for doc in docs:
            result = db[collection].update_one(
                {"_id": doc["_id"]},
                {"$setOnInsert": {**doc, "version": 1, "created_at": stamp, "updated_at": stamp}}, upsert=True)
            added[key] += 1 if result.upserted_id is not None else 0
    return (f"{added['programmes']} programmes, {added['cohorts']} cohorts, {added['seminars']} seminars added "
            f"({len(progs)}, {len(cohort_docs)}, {len(seminar_docs)} in the seeds)")
