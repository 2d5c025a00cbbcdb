"""The store goes away: requests answer 503 at once instead of hanging, liveness never touches it,
consumers wait without spending their retries, and a worker killed mid-transaction stalls nobody."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kombu import Connection, Producer

from probe_consumer import PROBE_KEY, probe_subscription
from reliability_kit import projected, wait_for
from shared.bus.connection import events_exchange
from shared.bus.consumer import QueueWorker
from shared.runtime import ServiceRuntime
from shared.testing import make_event, running_worker
from shared.testing.fixtures import token_for
from shared.testing.store_with_short_transactions import start_store_with_short_transactions

STRUCTURE = {"kind": "MSP", "name": "MSP du Val de Sèvre", "city": "Clisson", "department": "44"}


def publish(settings, envelopes):
    with Connection(settings.amqp_url) as conn:
        producer = Producer(conn.default_channel, exchange=events_exchange(settings))
        for env in envelopes:
            producer.publish(json.dumps(env), routing_key=env["type"].rsplit(".", 1)[0], delivery_mode=2,
                             content_type="application/cloudevents+json", message_id=env["id"])


def depth(settings, name) -> int:
    with Connection(settings.amqp_url) as conn:
        return conn.channel().queue_declare(queue=name, passive=True).message_count


def test_writes_and_reads_answer_503_while_the_store_is_down_and_work_again_when_it_is_back(settings, own_store):
    s = settings.replace(mongo_url=own_store.url)
    runtime = ServiceRuntime("registry", s)
    runtime.ensure_indexes()
    client = runtime.create_app().test_client()
    auth = {"Authorization": f"Bearer {token_for(s, roles=('staff',))}"}
    assert client.post("/registry/v1/structures", json=STRUCTURE, headers=auth).status_code == 201

    own_store.kill()
    started = time.monotonic()
    write = client.post("/registry/v1/structures", json={**STRUCTURE, "name": "MSP de Vertou"}, headers=auth)
    write_seconds = time.monotonic() - started
    read = client.get("/registry/v1/structures", headers=auth)
    started = time.monotonic()
    live = client.get("/registry/health/live")
    live_seconds = time.monotonic() - started
    ready = client.get("/registry/health/ready")

    for answer in (write, read):
        assert answer.status_code == 503, answer.data
        assert answer.mimetype == "application/problem+json"
        assert answer.headers["Retry-After"].isdigit()
        assert "Traceback" not in answer.get_data(as_text=True)
    assert live.status_code == 200
    assert ready.status_code == 503 and ready.json["checks"]["mongo"].startswith("down")
    # Bounded: a few seconds (server selection / transaction limit), not pymongo's two minutes.
    assert write_seconds < 30
    assert live_seconds < 1
    print(f"\nstore down: write answered 503 in {write_seconds:.1f}s, live in {live_seconds * 1000:.0f} ms")

    own_store.start()
    again = wait_for(lambda: client.post("/registry/v1/structures", json={**STRUCTURE, "name": "MSP de Rezé"},
                                         headers=auth).status_code == 201, timeout=30)
    assert again
    assert client.get("/registry/health/ready").status_code == 200


def test_a_consumer_waits_for_the_store_without_spending_its_retries(settings, own_store):
    s = settings.replace(mongo_url=own_store.url)
    events = ServiceRuntime("events", s)
    events.ensure_indexes()
    envelopes = [make_event("registry.structure.registered.v1",
                            {"id": f"s{n}", "federation": "apmsl", "kind": "MSP", "name": f"MSP {n}",
                             "city": "Nantes", "department": "44", "status": "projet"}, subject=f"s{n}")
                 for n in range(20)]
    with running_worker(events) as worker:
        assert wait_for(lambda: worker.status()["ready"], timeout=20)
        own_store.kill()
        publish(s, envelopes)
        waiting = wait_for(lambda: any(c["state"] == "waiting_for_store" for c in worker.status()["consumers"]),
                           timeout=30, interval=0.1)
        # Then far longer than every retry delay put together (0.05 + 0.1 s in tests): the old consumer
        # would have parked all 20 in the DLQ by now.
        time.sleep(3)
        own_store.start()
        assert wait_for(lambda: len(projected(events, [f"s{n}" for n in range(20)])) == 20, timeout=60), \
            (worker.status()["consumers"], len(projected(events, [f"s{n}" for n in range(20)])),
             Connection(s.amqp_url).channel().queue_declare(queue=f"{s.queue_prefix}events.registry-projection", passive=True))
    queue = f"{s.queue_prefix}events.registry-projection"
    assert depth(s, f"{queue}.dlq") == 0
    assert waiting


ORPHAN_LIFETIME_SECONDS = 25  # the 50 others took up to 10 s on a loaded 2-core machine


@pytest.fixture
def short_transactions_store(settings, tmp_path):
    """The settings on a store of the test's own that aborts abandoned transactions after 25 s instead of
    the 60 of SecantusDB and MongoDB's default (on MONGO_URL: that server, as it is)."""
    if os.environ.get("MONGO_URL"):
        yield settings
        return
    proc, url = start_store_with_short_transactions(str(tmp_path / "store"), ORPHAN_LIFETIME_SECONDS)
    try:
        yield settings.replace(mongo_url=url)
    finally:
        proc.kill()
        proc.wait(10)


def test_a_worker_killed_mid_transaction_does_not_stall_the_queue(short_transactions_store, tmp_path):
    """kill -9 leaves an open transaction on the store that holds the event's documents until the
    store aborts it (60 s on SecantusDB and MongoDB's default, 25 s on this test's store). The
    redelivered event waits aside, uncounted, while the rest of the queue flows; then it is handled, once."""
    settings = short_transactions_store
    events = ServiceRuntime("events", settings)
    events.ensure_indexes()
    # As every service's collections are (ensure_indexes): created before any transaction writes to
    # them, else the orphaned transaction would also hold the collection's creation.
    events.db.create_collection("probes")
    marker = tmp_path / "in-handler"
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
              if f.name in ("mongo_url", "mongo_db_prefix", "amqp_url", "exchange", "queue_prefix", "retry_delays",
                            "worker_prefetch")}
    QueueWorker(events.db, settings, probe_subscription()).declare()
    env = {**os.environ, "PYTHONPATH": f"{Path(__file__).parent}:{os.getcwd()}"}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "probe_consumer.py"), json.dumps(fields),
                             str(marker)], env=env)
    try:
        slow = make_event(f"{PROBE_KEY}.v1", {"slow": True}, subject="held")
        publish(settings, [slow])
        assert wait_for(lambda: marker.exists(), timeout=30, interval=0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        killed_at = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()

    others = [make_event(f"{PROBE_KEY}.v1", {"slow": False}, subject=f"other-{n}") for n in range(50)]
    import threading

    stop = threading.Event()
    consumer = QueueWorker(events.db, settings, probe_subscription())
    thread = threading.Thread(target=consumer.run_until, args=(stop,), daemon=True)
    thread.start()
    try:
        publish(settings, others)
        runs = events.db.probes
        assert wait_for(lambda: runs.count_documents({"_id": {"$regex": "^other-"}}) == 50, timeout=60, interval=0.1)
        others_done = time.monotonic() - killed_at
        assert wait_for(lambda: runs.find_one({"_id": "held"}), timeout=150, interval=0.2)
        held_done = time.monotonic() - killed_at
    finally:
        stop.set()
        thread.join(10)
    assert runs.find_one({"_id": "held"})["runs"] == 1
    assert all(d["runs"] == 1 for d in runs.find({"_id": {"$regex": "^other-"}}))
    queue = f"{settings.queue_prefix}events.probe"
    assert depth(settings, f"{queue}.dlq") == 0
    # The 50 others did not wait for the orphaned transaction to be aborted.
    assert others_done < held_done
    print(f"\nworker killed mid-transaction: the other 50 events done {others_done:.1f}s after the kill, "
          f"the held one {held_done:.1f}s after (when the store aborted the orphan)")
