"""Demo data from the seeds: the events the federations reported (`maillage seed`).

Idempotent: an event already loaded (same seed id) is left as it is. Past events carry the figures
the sources reported (`reported`: attended, registered, replay views…) instead of registrations;
when a source gives only a day, the usual hours of that kind of event are assumed (`time_known`).
Events the sources date only by year or month are not loaded (no invented day).

The sources tell of meetings held; so that the agenda of `make dev` has something to register for, each local
group that met also gets its next meeting (`demo-next-<group>`), published a few weeks after the day of the
first seeding, at the group's usual place and hours — the only invented dates, flagged `demo_upcoming`.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pymongo.errors import DuplicateKeyError

from services.events import rules
from services.events.seats import new_seats
from services.events.store import EVENTS, REPORTED, SEATS
from shared import clock

DATA = Path(__file__).parent / "data" / "demo_events.json"
# Usual hours (Paris) when a source gives only the day: half a day for local groups, lunchtime webinars.
USUAL_HOURS = {"local_group_meeting": ((9, 30), (12, 30)), "webinar": ((12, 30), (13, 30)),
               "partner_meeting": ((14, 0), (16, 0)), "facilitation": ((13, 0), (15, 0))}
DAY = ((9, 0), (17, 0))
MORNING = ((9, 0), (12, 0))
STATUS = {"held": "held", "announced": "published", "cancelled": "cancelled"}


def _times(item: dict) -> tuple[dt.datetime, dt.datetime, bool]:
    start, end = item["start"], item.get("end")
    if "T" in start:
        starts = rules.to_utc(dt.datetime.fromisoformat(start))
        ends = rules.to_utc(dt.datetime.fromisoformat(end)) if end and "T" in end else starts + dt.timedelta(hours=3)
        return starts, ends, True
    hours = MORNING if item.get("time_of_day") == "matin" else USUAL_HOURS.get(item["kind"], DAY)
    day = dt.date.fromisoformat(start)
    last = dt.date.fromisoformat(end[:10]) if end else day
    starts = rules.to_utc(dt.datetime.combine(day, dt.time(*hours[0])))
    ends = rules.to_utc(dt.datetime.combine(last, dt.time(*hours[1])))
    return starts, ends, False


def _agenda(item: dict) -> list[str]:
    items = item.get("programme") or item.get("themes") or []
    for workshop in item.get("workshops") or []:
        items.append(workshop if isinstance(workshop, str) else
                     f"Atelier {workshop.get('track', '')} : {workshop.get('title', '')}".replace("  ", " "))
    return [str(i)[:300] for i in items][:50]


def event_from_seed(item: dict, now: dt.datetime) -> dict:
    starts, ends, time_known = _times(item)
    online = bool(item.get("online"))
    venue = None if online and not item.get("city") else {
        "name": item.get("venue"), "address": None, "postal_code": None, "city": item.get("city"),
        "department": item.get("department")}
    department = item.get("department") or (item.get("departments") or [None])[0]
    return {
        "_id": item["id"], "demo_ref": item["id"], "demo": True, "federation": item["federation"],
        "kind": item["kind"], "title": item["title"], "theme": item.get("theme"), "agenda_items": _agenda(item),
        "starts_at": starts, "ends_at": ends, "timezone": rules.DEFAULT_TZ, "time_known": time_known,
        "format": "video" if online else "in_person", "venue": venue, "video_link": None,
        "department": department, "departments": item.get("departments") or ([department] if department else []),
        "territory": item.get("territory"), "local_group_id": item.get("local_group"),
        "series_id": item.get("local_group"), "host_structure_id": item.get("host_structure") or item.get(
            "partner_structure"),
        "audience": {"local_group_ids": [item["local_group"]] if item.get("local_group") else [],
                     "structure_kinds": [], "roles": []},
        "speakers": [], "capacity": None, "min_participants": None, "requires_approval": False,
        "facilitation": None, "organizer_ids": [], "status": STATUS.get(item["status"], "published"),
        "cancel_reason": item.get("cancellation_reason"), "replay_views": 0,
        "reported": {**item.get("figures", {}), **({"subkind": item["subkind"]} if item.get("subkind") else {})},
        "source": item.get("source"), "note": item.get("note"), "training_ref": item.get("training_ref"),
        "version": 1, "created_at": now, "updated_at": now, "created_by": "seed",
    }


NEXT_MEETING_SEATS = 25


def _group_name(title: str) -> str:
    for dash in (" — ", " – ", " - "):
        if dash in title:
            return title.split(dash)[0]
    return title


def next_meetings(seeds: dict, now: dt.datetime) -> list[dict]:
    """For each local group that met, its next meeting: 3 weeks from `now` (one more day per group), 9:30–12:30."""
    last: dict[str, dict] = {}
    for item in seeds["events"]:
        group = item.get("local_group")
        if item["kind"] == "local_group_meeting" and group and item["start"] >= last.get(group, {}).get("start", ""):
            last[group] = item
    meetings = []
    for n, (group, item) in enumerate(sorted(last.items())):
        day = (now + dt.timedelta(days=21 + n)).date()
        while day.weekday() >= 5:  # a working day
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(9, 30)).isoformat()
        end = dt.datetime.combine(day, dt.time(12, 30)).isoformat()
        seed = {**item, "id": f"demo-next-{group}", "start": start, "end": end, "status": "announced",
                "title": f"{_group_name(item['title'])} — prochaine rencontre", "figures": {},
                "programme": ["Tour de table des structures", "Actualités de la fédération",
                              "Thème du jour choisi par le groupe"], "cancellation_reason": None,
                "source": None, "note": "Prochaine rencontre de démonstration (date inventée)"}
        event = event_from_seed(seed, now)
        event.update(capacity=NEXT_MEETING_SEATS, published_at=now, demo_upcoming=True,
                     registration_deadline=None, cancellation_deadline=None)
        meetings.append(event)
    return meetings


def load(runtime) -> str:
    runtime.ensure_indexes()
    db = runtime.db
    seeds = json.loads(DATA.read_text(encoding="utf-8"))
    now = clock.now()
    added = kept = 0
    for item in seeds["events"]:
        event = event_from_seed(item, now)
        try:
            db[EVENTS].insert_one(event)
        except DuplicateKeyError:
            kept += 1
            continue
        seats = new_seats(event)
        db[SEATS].update_one({"_id": seats.pop("_id")}, {"$setOnInsert": seats}, upsert=True)
        added += 1
    upcoming = 0
    for event in next_meetings(seeds, now):
        try:
            db[EVENTS].insert_one(event)
        except DuplicateKeyError:
            continue
        seats = new_seats(event)
        db[SEATS].update_one({"_id": seats.pop("_id")}, {"$setOnInsert": seats}, upsert=True)
        upcoming += 1
    reported = 0
    for section in ("facilitation_summaries", "facilitation_territory_totals", "key_figures"):
        for n, row in enumerate(seeds.get(section) or []):
            key = f"{section}:{row.get('federation')}:{row.get('year')}:{row.get('territory') or ''}:" \
                  f"{row.get('department') or ''}:{n}"
            db[REPORTED].replace_one({"_id": key}, {"_id": key, "section": section, **row}, upsert=True)
            reported += 1
    skipped = len(seeds.get("undated_events") or [])
    return (f"{added} events loaded, {kept} already there, {skipped} undated events skipped, "
            f"{upcoming} upcoming meetings of the local groups, {reported} reported figures")
