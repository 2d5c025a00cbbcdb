"""What each store operation of the bus costs on the embedded store (issue 12): store CPU (its process's
/proc time) and wall time per operation, beside the baseline of the same run, a plain `insert_one` of the
same document into a collection with no secondary index.

    MAILLAGE_ENV=test .venv/bin/python -m bench store_costs

Rows: the structure insert with the registry's 12 indexes; the writer's transaction (insert + outbox row +
commit) with and without those indexes; the subscriber's transaction (processed record + upsert +
commit), and its single upsert (a handler marked `shared.projection.single_upsert`); the publisher's mark of 1 and of 10 rows. A new in-memory SecantusDB per run (no MONGO_URL: the
store's own CPU is what is measured).
"""
from __future__ import annotations

import dataclasses
import time
import uuid

import pymongo
from pymongo.read_concern import ReadConcern

from bench.store_meter import process_cpu_seconds
from shared.bus.outbox import OUTBOX, OUTBOX_INDEXES
from shared.devserver import start_secantus
from shared.mongo import DURABLE, ensure_indexes

from services.registry import rules
from services.registry.store import INDEXES, STRUCTURES

N = 300


def structure(n: int) -> dict:
    name = f"MSP bench {n:05d}"
    return {"_id": str(uuid.uuid4()), "kind": "MSP", "name": name, "city": "Angers", "department": "49",
            "federation": "apmsl", "archived": False, "status": "projet", "name_sort": rules.normalize(name),
            "search_prefixes": rules.search_prefixes(name, "Angers"), "has_geo": True, "local_group_id": None,
            "membership_years": [], "notes": "x" * 600}


def outbox_row(doc: dict) -> dict:
    return {"_id": str(uuid.uuid4()), "envelope": {"data": doc}, "routing_key": "registry.structure.registered",
            "status": "pending", "seq": time.time(), "attempts": 0}


def main() -> None:
    proc, url = start_secantus(":memory:", sync=False)
    try:
        client = pymongo.MongoClient(url)
        db = client[f"storecosts_{uuid.uuid4().hex[:6]}"]
        plain, indexed, outbox = db.plain, db.indexed, db[OUTBOX]
        durable = db.with_options(write_concern=DURABLE)
        # The registry's structure indexes on `indexed`, the kit's on the outbox, as the services declare them.
        ensure_indexes(db, [dataclasses.replace(index, collection=indexed.name) for index in INDEXES
                            if index.collection == STRUCTURES] + OUTBOX_INDEXES)

        def measure(fn) -> tuple[float, float]:
            for n in range(20):
                fn(n)
            cpu, started = process_cpu_seconds(proc.pid), time.perf_counter()
            for n in range(N):
                fn(n)
            return ((time.perf_counter() - started) * 1000 / N, (process_cpu_seconds(proc.pid) - cpu) * 1000 / N)

        def transaction(work):
            with client.start_session() as session:
                session.with_transaction(work, read_concern=ReadConcern("majority"), write_concern=DURABLE)

        def writer(collection):
            def write(n):
                def work(session):
                    doc = structure(n)
                    collection.insert_one(doc, session=session)
                    outbox.insert_many([outbox_row(doc)], session=session)
                transaction(work)
            return write

        def subscriber(n):
            def work(session):
                db.processed_events.insert_one({"_id": str(uuid.uuid4())}, session=session)
                db.projection.update_one({"_id": str(uuid.uuid4())}, {"$set": {"name": "x", "sequence": 1}},
                                         upsert=True, session=session)
            transaction(work)

        def single_upsert(n):  # a handler marked single_upsert: its conditional upsert alone, durable
            durable.projection.update_one({"_id": str(uuid.uuid4())}, {"$set": {"name": "x", "sequence": 1}},
                                          upsert=True)

        def mark(count):
            ids = iter([outbox.insert_one(outbox_row({"n": n})).inserted_id for n in range((N + 20) * count)])
            return lambda n: outbox.update_many({"_id": {"$in": [next(ids) for _ in range(count)]}},
                                                {"$set": {"status": "published"}})

        baseline = measure(lambda n: plain.insert_one(structure(n)))
        rows = [("structure insert, 12 indexes", measure(lambda n: indexed.insert_one(structure(n)))),
                ("writer's transaction, no index", measure(writer(plain))),
                ("writer's transaction, 12 indexes", measure(writer(indexed))),
                ("subscriber's transaction", measure(subscriber)),
                ("subscriber's single upsert", measure(single_upsert))]
        rows += [(f"publisher's mark of {count} row(s)", measure(mark(count))) for count in (1, 10)]
        print(f"store CPU and wall time per operation, {N} each; baseline: plain insert_one "
              f"{baseline[1]:.2f} ms CPU, {baseline[0]:.2f} ms wall")
        for label, (wall, cpu) in rows:
            print(f"  {label:36s} {cpu:5.2f} ms CPU ({cpu / baseline[1]:4.1f}× baseline)  {wall:5.2f} ms wall")
    finally:
        proc.kill()


if __name__ == "__main__":
    main()
