"""Events benchmark (issue 4): registration throughput and latency under concurrency.

Measured in one run, on the same store, against a baseline:
- baseline: raw pymongo `insert_one` of the same registration document (no transaction, no rules);
- Maillage, one hot event: every registration reads the event, updates its seat document, writes the
  registration and its outbox event in one transaction (concurrent writers of the seat document
  conflict and are retried: this is what keeps capacity exact);
- Maillage, spread over 20 events (the usual case: several events open at once);
- the same over HTTP: `POST /events/v1/events/{id}/registrations` under gunicorn (2 workers × 4 threads),
  each client with its own member token (processes conflict on the seat document; transactions retry).
Run: `python -m bench events_registration` (MONGO_URL to use a real MongoDB; default an embedded SecantusDB).
"""
from __future__ import annotations

import http.client
import json
import os
import uuid

from bench.common import CONCURRENCY, gunicorn, mongo, percentile, summary, timed_concurrently
from services.events import meetings, registrations
from services.events.store import PEOPLE, REGISTRATIONS, SEATS
from shared.config import Settings
from shared.http.auth import Principal, issue_token
from shared.runtime import ServiceRuntime

REGISTRANTS = int(os.environ.get("BENCH_REGISTRANTS", "600"))
STAFF = Principal("bench-staff", "apmsl", frozenset({"admin"}))


def _event(db, capacity: int) -> str:
    body = {"kind": "regional_day", "title": "Journée régionale (bench)", "starts_at": _future(),
            "ends_at": _future(hours=8), "format": "in_person", "venue": {"city": "Nantes"}, "capacity": capacity,
            "timezone": "Europe/Paris", "agenda_items": [], "speakers": [], "requires_approval": False}
    event = meetings.create_event(db, STAFF, body)
    meetings.publish_event(db, STAFF, event["_id"])
    return event["_id"]


def _future(hours: int = 0):
    import datetime as dt
    return dt.datetime(2031, 10, 1, 7, tzinfo=dt.timezone.utc) + dt.timedelta(hours=hours)


def _people(db, tag: str) -> list[str]:
    ids = [f"{tag}-{i:05d}" for i in range(REGISTRANTS)]
    db[PEOPLE].insert_many([{"_id": pid, "federation": "apmsl", "first_name": "Prénom", "last_name": pid,
                             "email": f"{pid}@bench.invalid", "may_email": True, "roles": [], "sequence": 1}
                            for pid in ids])
    return ids




def baseline(db, ids: list[str]) -> tuple[float, list[float]]:
    def insert(pid):
        db["bench_raw"].insert_one({"_id": str(uuid.uuid4()), "event_id": "raw", "federation": "apmsl",
                                    "person_id": pid, "guest": False, "first_name": "Prénom", "last_name": pid,
                                    "email": f"{pid}@bench.invalid", "may_email": True, "status": "registered",
                                    "waitlist_position": None, "dedup_key": f"raw:{pid}", "history": [],
                                    "version": 1})
    return timed_concurrently(insert, ids)


def maillage(db, ids: list[str], events: list[str]) -> tuple[float, list[float]]:
    def register(pair):
        n, pid = pair
        registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), events[n % len(events)], {})
    return timed_concurrently(register, list(enumerate(ids)))


def over_http(settings, url: str, ids: list[str], event_id: str, workers: int = 2,
              threads: int = 4) -> tuple[float, list[float], int]:
    env = {"MONGO_URL": url, "MONGO_DB_PREFIX": settings.mongo_db_prefix, "AMQP_URL": "memory://",
           "JWT_SECRET": settings.jwt_secret, "LOG_LEVEL": "WARNING", "OUTBOX_POLL_SECONDS": "3600"}
    tokens = {pid: issue_token(settings, sub=pid, federation="apmsl", roles=["member"]) for pid in ids}
    errors = [0]
    with gunicorn("services.events.app:create_app()", env, workers=workers, threads=threads) as port:
        local = __import__("threading").local()

        def post(pid):
            if not hasattr(local, "conn"):
                local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            local.conn.request("POST", f"/events/v1/events/{event_id}/registrations", body=json.dumps({}),
                               headers={"Authorization": f"Bearer {tokens[pid]}", "Content-Type": "application/json"})
            response = local.conn.getresponse()
            response.read()
            if response.status != 201:
                errors[0] += 1
        rps, latencies = timed_concurrently(post, ids)
    return rps, latencies, errors[0]


def main() -> None:
    with mongo() as url:
        settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{uuid.uuid4().hex[:6]}_", amqp_url="memory://",
                            log_json=False, log_level="WARNING")
        runtime = ServiceRuntime("events", settings)
        runtime.ensure_indexes()
        db = runtime.db
        print(f"{REGISTRANTS} registrations, {CONCURRENCY} concurrent clients, store {url.split('?')[0]}")

        base_rps, base_lat = baseline(db, _people(db, "raw"))
        print(f"baseline raw insert_one       : {base_rps:7.0f} /s ({summary(base_lat)})")

        hot_event = _event(db, capacity=REGISTRANTS // 2)
        hot_rps, hot_lat = maillage(db, _people(db, "hot"), [hot_event])
        seats = db[SEATS].find_one({"_id": hot_event})
        print(f"Maillage, one 300-seat event  : {hot_rps:7.0f} /s ({summary(hot_lat)})")
        print(f"  seats taken {seats['taken']} / capacity {REGISTRANTS // 2}, waitlisted {seats['waitlisted']}, "
              f"registrations {db[REGISTRATIONS].count_documents({'event_id': hot_event})}")

        spread = [_event(db, capacity=REGISTRANTS) for _ in range(20)]
        spread_rps, spread_lat = maillage(db, _people(db, "spread"), spread)
        print(f"Maillage, spread over 20      : {spread_rps:7.0f} /s ({summary(spread_lat)})")

        http_results = {}
        for workers, threads in ((1, 8), (2, 4)):
            http_event = _event(db, capacity=REGISTRANTS // 2)
            rps, lat, errors = over_http(settings, url, _people(db, f"http{workers}"), http_event, workers, threads)
            seats = db[SEATS].find_one({"_id": http_event})
            http_results[workers] = (rps, lat)
            print(f"HTTP {workers} worker(s) × {threads} threads: {rps:7.0f} /s ({summary(lat)}) errors {errors}")
            print(f"  seats taken {seats['taken']} / capacity {REGISTRANTS // 2}, waitlisted {seats['waitlisted']}")

        print(f"  ratio throughput one event / baseline = {hot_rps / base_rps:.2f}; "
              f"p99 {percentile(hot_lat, 99) / percentile(base_lat, 99):.1f}× the baseline's")
        print(f"  ratio throughput spread / baseline    = {spread_rps / base_rps:.2f}; "
              f"p99 {percentile(spread_lat, 99) / percentile(base_lat, 99):.1f}× the baseline's")
        for workers, (rps, lat) in http_results.items():
            print(f"  ratio throughput HTTP ({workers} worker(s)) / baseline = {rps / base_rps:.2f}; "
                  f"p99 {percentile(lat, 99) / percentile(base_lat, 99):.1f}× the baseline's")
        db.client.drop_database(db.name)


if __name__ == "__main__":
    main()
