"""Outbox drain: how fast one relay publishes a backlog of 1k, 10k and 40k pending events, against raw
kombu publishing the same number of 1 KB messages with a confirm each, in the same run. The point is the
shape: the relay's rate must stay flat as the backlog grows (its batch reads walk the (status, seq) index
by windows, never sorting the whole backlog).

Each size gets a fresh outbox, filled with insert_many of the documents `Tx._write_outbox` makes (layout
`outage`, the default: events spread at 100/s over the minutes before, as after a broker outage; layout
`burst`: every event in one transaction-like run of `seq`), then one `publish_pending()` is timed until its
last event reached a consumer bound to the exchange.

    .venv/bin/python -m bench.outbox_drain            # 1k, 10k, 40k
    .venv/bin/python -m bench.outbox_drain 1000 5000  # other sizes
    BENCH_DRAIN_LAYOUTS=outage,burst .venv/bin/python -m bench.outbox_drain   # both layouts
    BENCH_DRAIN_STORE=sync .venv/bin/python -m bench.outbox_drain   # store synced on commit, in a temp dir

Broker: AMQP_URL or the local one on 5672 (a unique exchange, auto-deleted queues); store: MONGO_URL or an
embedded SecantusDB (in memory unless BENCH_DRAIN_STORE=sync).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager

from kombu import Exchange
from marshmallow import Schema, fields

from bench.backbone import Receiver, raw_kombu_throughput
from bench.common import amqp_url, delete_from_broker, mongo
from shared.bus.catalog import EventCatalog
from shared.bus.envelope import make_envelope
from shared.bus.outbox import OUTBOX, OUTBOX_INDEXES, PENDING, pending_count
from shared.bus.relay import OUTBOX_ORDER, OutboxRelay
from shared.config import Settings
from shared.devserver import start_secantus
from shared.mongo import ensure_indexes, service_database

SIZES = (1_000, 10_000, 40_000)
LAYOUTS = tuple(os.environ.get("BENCH_DRAIN_LAYOUTS", "outage").split(","))
OUTAGE_RATE = 100.0  # events/s written while nothing was relayed (layout `outage`)


class Payload(Schema):
    blob = fields.Str()


PROBE = EventCatalog("registry").event("registry.probe.drained.v1", Payload, "bench only")


def outbox_documents(count: int, layout: str) -> list[dict]:
    """What `Tx._write_outbox` writes, for `count` events committed before the relay runs."""
    now = dt.datetime.now(dt.timezone.utc)
    docs = []
    for n in range(count):
        env = make_envelope(source="registry", type=PROBE.type, subject=f"d-{n}", data={"blob": "x" * 900},
                            federation="apmsl", correlation_id=uuid.uuid4().hex, sequence=1)
        if layout == "burst":
            seq, created = now.timestamp() + n * 1e-6, now
        else:  # written at OUTAGE_RATE/s, the last one just now
            created = now - dt.timedelta(seconds=(count - n) / OUTAGE_RATE)
            seq = created.timestamp()
        docs.append({"_id": env["id"], "envelope": env, "routing_key": env["type"].rsplit(".", 1)[0],
                     "status": PENDING, "seq": seq, "created_at": created, "attempts": 0})
    return docs


def relay_drain(settings: Settings, count: int, layout: str) -> dict:
    db = service_database(settings.replace(mongo_db_prefix=f"{settings.mongo_db_prefix}{layout}{count}_"),
                          "registry")
    ensure_indexes(db, OUTBOX_INDEXES)
    docs = outbox_documents(count, layout)
    started = time.perf_counter()
    for i in range(0, count, 5000):
        db[OUTBOX].insert_many(docs[i:i + 5000], ordered=False)
    inserted = count / (time.perf_counter() - started)
    receiver = Receiver(settings.amqp_url, Exchange(settings.exchange, type="topic", durable=True), "registry.#")
    relay = OutboxRelay(db, "registry", settings)
    started = time.perf_counter()
    published = relay.publish_pending()
    relayed = time.perf_counter() - started
    receiver.wait(f"d-{count - 1}")
    delivered = time.perf_counter() - started
    missing = count - sum(1 for n in range(count) if f"d-{n}" in receiver.seen)
    receiver.close()
    relay.close()
    left = pending_count(db)
    hinted, plain = batch_query_ms(db)
    db.client.drop_database(db.name)
    return {"events": count, "layout": layout, "published": published, "pending_left": left,
            "missing_at_consumer": missing, "insert_many_per_s": round(inserted),
            "relay_seconds": round(relayed, 2), "events_per_s": round(count / delivered, 1),
            "batch_query_ms_hinted": hinted, "batch_query_ms_unhinted": plain}


def batch_query_ms(db) -> tuple[float, float]:
    """The relay's batch read (`OutboxRelay._find`: sort and hint on (status, seq)) on the drained outbox,
    for an empty window, with and without the hint: what one read costs at this outbox size."""
    now = time.time()
    query = {"status": PENDING, "seq": {"$gte": now, "$lt": now + 1}}

    def timed(hint: bool) -> float:
        started = time.perf_counter()
        for _ in range(3):
            cursor = db[OUTBOX].find(query).sort(OUTBOX_ORDER)
            list((cursor.hint(OUTBOX_ORDER) if hint else cursor).limit(200))
        return round((time.perf_counter() - started) / 3 * 1000, 1)

    return timed(True), timed(False)


@contextmanager
def store():
    if os.environ.get("BENCH_DRAIN_STORE") == "sync" and not os.environ.get("MONGO_URL"):
        path = tempfile.mkdtemp(prefix="maillage-bench-drain-")
        proc, url = start_secantus(path, sync=True)
        try:
            yield url, "SecantusDB --sync-on-commit"
        finally:
            proc.kill()
            shutil.rmtree(path, ignore_errors=True)
        return
    with mongo() as url:
        yield url, "MONGO_URL" if os.environ.get("MONGO_URL") else "SecantusDB in memory"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or list(SIZES)
    with store() as (url, kind):
        tag = uuid.uuid4().hex[:6]
        # the relay drains everything pending (with publishing on commit it leaves the rows of the last 2 s
        # to their committing process, which here is none)
        settings = Settings(mongo_url=url, mongo_db_prefix=f"benchdrain{tag}_", amqp_url=amqp_url(),
                            exchange=f"bench.{tag}.events", outbox_publish_on_commit=False)
        rows = []
        try:
            for count in sizes:
                raw = raw_kombu_throughput(settings.amqp_url, count, "registry.probe.drained")
                for layout in LAYOUTS:
                    row = relay_drain(settings, count, layout)
                    row["raw_kombu_per_s"] = round(raw, 1)
                    rows.append(row)
                    print(f"  {count:>6} pending ({layout}): relay {row['events_per_s']:.0f}/s, "
                          f"raw kombu {raw:.0f}/s", flush=True)
        finally:
            delete_from_broker(settings)
    print(f"\nstore: {kind}; broker: {settings.amqp_url.split('@')[-1]}; batch {settings.outbox_batch_size}")
    print(f"{'pending':>8} {'layout':<7}{'relay ev/s':>11}{'x relay@' + str(sizes[0]):>13}{'raw kombu ev/s':>15}"
          f"{'relay/raw':>10}{'left':>6}{'missing':>8}{'batch read ms':>15}{'unhinted':>9}")
    first = {r["layout"]: r["events_per_s"] for r in rows if r["events"] == sizes[0]}
    for r in rows:
        print(f"{r['events']:>8} {r['layout']:<7}{r['events_per_s']:>11.0f}"
              f"{r['events_per_s'] / first[r['layout']]:>12.2f}x{r['raw_kombu_per_s']:>15.0f}"
              f"{r['events_per_s'] / r['raw_kombu_per_s']:>9.2f}x{r['pending_left']:>6}{r['missing_at_consumer']:>8}"
              f"{r['batch_query_ms_hinted']:>15}{r['batch_query_ms_unhinted']:>9}")
    print("batch read ms: the relay's batch query (sorted, hinted on (status, seq)) for an empty window on the "
          "drained outbox of that size; unhinted: the same query without .hint()")
    out = os.path.join("var", "bench", "outbox_drain.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        json.dump({"store": kind, "batch_size": settings.outbox_batch_size, "rows": rows,
                   "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}, fh, indent=2)
    print(f"figures in {out}")


if __name__ == "__main__":
    main()
