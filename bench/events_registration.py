"""Events benchmark (issue 12, goal 2): a regional day opens its registrations — fair and fast.

Measured in one run, on the same store:
- baseline: the store's own limit for a guarded seat counter — 50 threads doing the conditional
  single-document `find_one_and_update({_id, taken: {$lt: cap}}, {$inc: {taken: 1}})`, as many times as
  there are registrations;
- Maillage over HTTP: 1,000 registrations (BENCH_REGISTRANTS) on a 250-seat event from 50 client threads,
  `POST /events/v1/events/{id}/registrations` under gunicorn with 1, 2 and 4 workers (32 threads each: BENCH_GUNICORN_THREADS), each
  client with its own member token.

Beside them, a second baseline, the HTTP ceiling: the same number of `POST`s from the same 50 clients to a
trivial authenticated route (token checked, JSON answered, no store) added to the same events app under the
same gunicorn — what the HTTP layer alone allows, whatever the registration does.

For each worker count: exactly 250 registered? the waiting list in arrival order? — adjacent inversions of
the waiting-list rank against the order the service accepted the requests (`created_at`; and the ticket when
registrations carry one), and client-side violations: pairs where A's answer came back before B was sent
yet B got the better rank (registered = rank 0). Then a "journey": 8 sends 31 ms apart on the full event,
whose ranks must follow the send order. Throughput, p50 / p99, the ratio to the guarded counter, and the CPU
per registration of each side: the store, the api workers (all of them), this client.

Run: `MAILLAGE_ENV=test python -m bench events_registration` (MONGO_URL to use a real MongoDB; default an
embedded SecantusDB, a new one per run). BENCH_RUNS runs (default 3), each ending in a line `RESULT {json}`;
then the medians of the runs with their range, beside the goals.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.common import gunicorn, gunicorn_workers, mongo_with_pid, percentile
from bench.store_meter import StoreMeter
from services.events import meetings
from services.events.store import PEOPLE, REGISTRATIONS, SEATS
from shared.config import Settings
from shared.http.auth import Principal, issue_token
from shared.runtime import ServiceRuntime

REGISTRANTS = int(os.environ.get("BENCH_REGISTRANTS", "1000"))
CAPACITY = REGISTRANTS // 4
CLIENTS = 50
THREADS_PER_WORKER = int(os.environ.get("BENCH_GUNICORN_THREADS", "32"))  # group commit batches what waits together
WORKER_COUNTS = (1, 2, 4)
JOURNEY, JOURNEY_GAP = 8, 0.031
STAFF = Principal("bench-staff", "apmsl", frozenset({"admin"}))


def _future(hours: int = 0):
    return dt.datetime(2031, 10, 1, 7, tzinfo=dt.timezone.utc) + dt.timedelta(hours=hours)


def _event(db, capacity: int) -> str:
    body = {"kind": "regional_day", "title": "Journée régionale (bench)", "starts_at": _future(),
            "ends_at": _future(hours=8), "format": "in_person", "venue": {"city": "Nantes"}, "capacity": capacity,
            "timezone": "Europe/Paris", "agenda_items": [], "speakers": [], "requires_approval": False}
    event = meetings.create_event(db, STAFF, body)
    meetings.publish_event(db, STAFF, event["_id"])
    return event["_id"]


def _people(db, tag: str, count: int) -> list[str]:
    ids = [f"{tag}-{i:05d}" for i in range(count)]
    db[PEOPLE].insert_many([{"_id": pid, "federation": "apmsl", "first_name": "Prénom", "last_name": pid,
                             "email": f"{pid}@bench.invalid", "may_email": True, "roles": [], "sequence": 1}
                            for pid in ids])
    return ids


def _concurrently(fn, items, clients: int = CLIENTS) -> tuple[float, list]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(fn, items))
    return len(items) / (time.perf_counter() - started), results


def guarded_counter(db, count: int, capacity: int) -> tuple[float, list[float], int]:
    """The store's own limit: the conditional single-document seat counter, from 50 threads."""
    doc_id = f"counter-{uuid.uuid4().hex[:8]}"
    db["bench_counter"].insert_one({"_id": doc_id, "taken": 0})

    def take(_):
        started = time.perf_counter()
        db["bench_counter"].find_one_and_update({"_id": doc_id, "taken": {"$lt": capacity}}, {"$inc": {"taken": 1}})
        return (time.perf_counter() - started) * 1000

    rate, latencies = _concurrently(take, range(count))
    taken = db["bench_counter"].find_one({"_id": doc_id})["taken"]
    return rate, latencies, taken


def _rank(body: dict) -> int | None:
    if body.get("status") == "registered":
        return 0
    return body.get("waitlist_position")


def client_violations(results: list[dict]) -> int:
    """Pairs where A was answered before B was sent, yet B has the better rank (fairness as clients see it)."""
    done = sorted((r for r in results if r["rank"] is not None), key=lambda r: r["sent"])
    violations = 0
    for a in done:
        for b in done:
            if a["received"] < b["sent"] and a["rank"] > b["rank"]:
                violations += 1
    return violations


def adjacent_inversions(regs: list[dict], key) -> int:
    ordered = sorted(regs, key=key)
    return sum(1 for x, y in zip(ordered, ordered[1:]) if x["waitlist_position"] > y["waitlist_position"])


def ceiling_app():
    """The events app with one more route, trivial but authenticated (the HTTP ceiling): gunicorn loads it as
    `bench.events_registration:ceiling_app()`."""
    from flask import jsonify

    from services.events.app import create_app
    from shared.http.auth import current_principal

    app = create_app()

    def ping(event_id):
        principal = current_principal()
        return jsonify({"person_id": principal.sub, "event_id": event_id, "status": "registered"}), 201

    app.add_url_rule("/events/v1/bench-ceiling/<event_id>", "bench_ceiling", ping, methods=["POST"])
    return app


def _poster(port: int, path: str, tokens: dict, local):
    def post(pid):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent = time.perf_counter()
        local.conn.request("POST", path, body=json.dumps({}),
                           headers={"Authorization": f"Bearer {tokens[pid]}", "Content-Type": "application/json"})
        response = local.conn.getresponse()
        body = json.loads(response.read() or b"{}")
        received = time.perf_counter()
        return {"pid": pid, "status": response.status, "sent": sent, "received": received,
                "ms": (received - sent) * 1000, "rank": _rank(body) if response.status == 201 else None}
    return post


def burst(settings, url: str, db, ids: list[str], journey_ids: list[str], workers: int, store_pid: int = 0) -> dict:
    event_id = _event(db, CAPACITY)
    env = {"MONGO_URL": url, "MONGO_DB_PREFIX": settings.mongo_db_prefix, "AMQP_URL": "memory://",
           "JWT_SECRET": settings.jwt_secret, "LOG_LEVEL": "WARNING", "OUTBOX_POLL_SECONDS": "3600",
           "MAILLAGE_ENV": os.environ.get("MAILLAGE_ENV", "test")}
    tokens = {pid: issue_token(settings, sub=pid, federation="apmsl", roles=["member"]) for pid in ids + journey_ids}
    # the HTTP ceiling: the same POSTs to a trivial authenticated route of the same app, same gunicorn
    ceiling_local = threading.local()
    with gunicorn("bench.events_registration:ceiling_app()", env, workers=workers,
                  threads=THREADS_PER_WORKER) as port:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: _get(port), range(16)))
        ceiling_meter = StoreMeter(db.client, None, {f"api{i}": pid for i, pid in enumerate(gunicorn_workers(port))})
        before = ceiling_meter.snapshot()
        ceiling_rate, ceiling_results = _concurrently(
            _poster(port, f"/events/v1/bench-ceiling/{event_id}", tokens, ceiling_local), ids)
        ceiling_cpu = StoreMeter.per_event(before, ceiling_meter.snapshot(), len(ids))["process_cpu_ms_per_event"]
    local = threading.local()
    with gunicorn("services.events.app:create_app()", env, workers=workers, threads=THREADS_PER_WORKER) as port:
        post = _poster(port, f"/events/v1/events/{event_id}/registrations", tokens, local)

        # warm every worker's connection pool and imports (not counted)
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: _get(port), range(16)))
        # CPU per registration of each process: the store, the api workers, this client
        meter = StoreMeter(db.client, store_pid, {**{f"api{i}": pid for i, pid in enumerate(gunicorn_workers(port))},
                                                  "client": os.getpid()})
        before = meter.snapshot()
        rate, results = _concurrently(post, ids)
        store = StoreMeter.per_event(before, meter.snapshot(), len(ids))

        # the journey: sends 31 ms apart on the (full) event, each from its own client
        journey: list[dict] = [None] * len(journey_ids)  # type: ignore[list-item]

        def send(i, pid):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            local.conn = conn
            journey[i] = post(pid)
        threads = []
        for i, pid in enumerate(journey_ids):
            threads.append(threading.Thread(target=send, args=(i, pid)))
            threads[-1].start()
            time.sleep(JOURNEY_GAP)
        for t in threads:
            t.join()
    regs = list(db[REGISTRATIONS].find({"event_id": event_id, "person_id": {"$in": ids}}))
    waiting = [r for r in regs if r["status"] == "waitlisted"]
    seats = db[SEATS].find_one({"_id": event_id})
    journey_ranks = [j["rank"] for j in journey]
    latencies = [r["ms"] for r in results]
    return {
        "workers": workers, "rate": rate, "ceiling": ceiling_rate,
        "ceiling_errors": sum(1 for r in ceiling_results if r["status"] != 201),
        "ceiling_api_cpu_ms_per_request": round(sum(ceiling_cpu.values()), 2),
        "store_ops_per_registration": store["ops_per_event"], "store_ops_by_kind": store["ops_by_kind"],
        "store_cpu_ms_per_registration": store["cpu_ms_per_event"],
        "api_cpu_ms_per_registration": round(sum(ms for name, ms in store["process_cpu_ms_per_event"].items()
                                                 if name.startswith("api")), 2),
        "client_cpu_ms_per_registration": store["process_cpu_ms_per_event"].get("client"),
        "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
        "errors": sum(1 for r in results if r["status"] != 201),
        "registered": sum(1 for r in regs if r["status"] == "registered"), "waitlisted": len(waiting),
        "seats_taken": seats["taken"], "seats_waitlisted": seats["waitlisted"],
        "inversions_created_at": adjacent_inversions(waiting, lambda r: (r["created_at"], r["_id"])),
        "inversions_ticket": (adjacent_inversions(waiting, lambda r: r["ticket"])
                              if waiting and all(r.get("ticket") is not None for r in waiting) else None),
        "client_violations": client_violations(results),
        "journey_ranks": journey_ranks,
        "journey_in_order": all(a is not None and b is not None and a < b
                                for a, b in zip(journey_ranks, journey_ranks[1:])),
    }


def _get(port: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/events/health/live")
    conn.getresponse().read()
    conn.close()


RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def one_run(n: int) -> dict:
    with mongo_with_pid() as (url, store_pid):
        settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{uuid.uuid4().hex[:6]}_", amqp_url="memory://",
                            log_json=False, log_level="WARNING")
        runtime = ServiceRuntime("events", settings)
        runtime.ensure_indexes()
        db = runtime.db
        print(f"run {n}: {REGISTRANTS} registrations on a {CAPACITY}-seat event, {CLIENTS} clients, "
              f"gunicorn {THREADS_PER_WORKER} threads per worker, store {url.split('?')[0]}", flush=True)
        ids = _people(db, "reg", REGISTRANTS)
        journey_ids = _people(db, "journey", JOURNEY * len(WORKER_COUNTS))

        base_rate, base_lat, taken = guarded_counter(db, REGISTRANTS, CAPACITY)
        print(f"baseline guarded counter ({CLIENTS} threads): {base_rate:7.0f} /s  p50 {percentile(base_lat, 50):.1f} ms"
              f"  p99 {percentile(base_lat, 99):.1f} ms  taken {taken}/{CAPACITY}", flush=True)
        rows = []
        for k, workers in enumerate(WORKER_COUNTS):
            row = burst(settings, url, db, ids, journey_ids[k * JOURNEY:(k + 1) * JOURNEY], workers, store_pid)
            rows.append(row)
            print(f"HTTP {workers} worker(s): {row['rate']:6.0f} /s ({row['rate'] / base_rate:.2f}× counter, "
                  f"{row['rate'] / row['ceiling']:.2f}× the HTTP ceiling {row['ceiling']:.0f}/s, which is "
                  f"{row['ceiling'] / base_rate:.2f}× counter)  store {row['store_ops_per_registration']} ops "
                  f"{row['store_cpu_ms_per_registration']} ms CPU per registration {row['store_ops_by_kind']}, api "
                  f"{row['api_cpu_ms_per_registration']} ms (ceiling route {row['ceiling_api_cpu_ms_per_request']} ms), client "
                  f"{row['client_cpu_ms_per_registration']} ms  "
                  f"p50 {row['p50']:7.0f} ms  p99 {row['p99']:7.0f} ms  errors {row['errors']}  "
                  f"registered {row['registered']} waitlisted {row['waitlisted']} "
                  f"(seats {row['seats_taken']}/{row['seats_waitlisted']})  inversions: created_at "
                  f"{row['inversions_created_at']} ticket {row['inversions_ticket']} client {row['client_violations']}  "
                  f"journey {row['journey_ranks']} {'in order' if row['journey_in_order'] else 'OUT OF ORDER'}",
                  flush=True)
        one = rows[0]["rate"]
        for row in rows[1:]:
            print(f"  {row['workers']} workers / 1 worker throughput = {row['rate'] / one:.2f}")
        result = {"baseline": base_rate, "rows": rows}
        print("RESULT " + json.dumps(result), flush=True)
        db.client.drop_database(db.name)
        return result


def _median_range(values: list[float], fmt: str) -> str:
    ordered = sorted(values)
    return f"{format(statistics.median(ordered), fmt)} ({format(ordered[0], fmt)}–{format(ordered[-1], fmt)})"


def summarize(results: list[dict]) -> None:
    """Medians of the runs with their range, beside the goals of issue 12."""
    print(f"\nmedian (range) of {len(results)} run(s); goals: ≥ 0.5× the guarded counter, 4 workers ≥ 0.9× 1, "
          f"p99 ≤ 2 s, exactly {CAPACITY} registered, 0 inversions, the 31 ms journey in send order")
    print(f"  guarded counter: {_median_range([r['baseline'] for r in results], '.0f')} /s")
    for k, workers in enumerate(WORKER_COUNTS):
        rows = [r["rows"][k] for r in results]
        ratios = [row["rate"] / r["baseline"] for row, r in zip(rows, results)]
        scale = ([row["rate"] / r["rows"][0]["rate"] for row, r in zip(rows, results)] if k else None)
        ceiling = [row["ceiling"] for row in rows]
        print(f"  {workers} worker(s): {_median_range([row['rate'] for row in rows], '.0f')} /s, "
              f"{_median_range(ratios, '.2f')}× counter"
              f", {_median_range([row['rate'] / row['ceiling'] for row in rows], '.2f')}× HTTP ceiling"
              f" (ceiling {_median_range(ceiling, '.0f')} /s = "
              f"{_median_range([c / r['baseline'] for c, r in zip(ceiling, results)], '.2f')}× counter)"
              f", store ops/registration {_median_range([row['store_ops_per_registration'] for row in rows], '.1f')}"
              f", CPU ms/registration store {_median_range([row['store_cpu_ms_per_registration'] for row in rows], '.2f')}"
              f" api {_median_range([row['api_cpu_ms_per_registration'] for row in rows], '.2f')}"
              f" (ceiling route {_median_range([row['ceiling_api_cpu_ms_per_request'] for row in rows], '.2f')})"
              f" client {_median_range([row['client_cpu_ms_per_registration'] for row in rows], '.2f')}"
              + (f", {_median_range(scale, '.2f')}× 1 worker" if scale else "")
              + f", p99 {_median_range([row['p99'] for row in rows], '.0f')} ms"
              f", registered {sorted({row['registered'] for row in rows})}"
              f", errors {sum(row['errors'] for row in rows)}"
              f", inversions ticket {sum(row['inversions_ticket'] or 0 for row in rows)}"
              f" created_at {sum(row['inversions_created_at'] for row in rows)}"
              f" client {sum(row['client_violations'] for row in rows)}"
              f", journeys in order {sum(row['journey_in_order'] for row in rows)}/{len(rows)}", flush=True)


def main() -> None:
    summarize([one_run(n + 1) for n in range(RUNS)])


if __name__ == "__main__":
    main()
