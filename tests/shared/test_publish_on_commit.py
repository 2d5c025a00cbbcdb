"""Publishing on commit (OUTBOX_PUBLISH_ON_COMMIT, the default): the committing process publishes its own
events; the worker's relay sweeps what stayed pending. Real broker, real store, a real kill -9."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from shared.bus.outbox import OUTBOX, PENDING
from shared.bus.publisher import SWEEP_GRACE_SECONDS
from shared.bus.relay import OutboxRelay
from shared.http.auth import Principal
from shared.runtime import ServiceRuntime
from shared.testing import running_worker, wait_until

from services.registry.structures import register_structure

STAFF = Principal(sub="staff-apmsl", federation="apmsl", roles=frozenset({"staff"}))
REGISTERED = "registry.structure.registered.v1"


def register(db, n: int) -> str:
    return register_structure(db, STAFF, {"kind": "MSP", "name": f"MSP publiée {n:03d}", "city": "Nantes",
                                          "department": "44"})["_id"]


def test_a_commit_is_published_by_the_process_that_made_it_with_no_relay_running(settings, capture):
    cap = capture("registry.#")
    rt = ServiceRuntime("registry", settings.replace(outbox_publish_on_commit=True))
    rt.ensure_indexes()
    ids = {register(rt.db, n) for n in range(25)}

    received = cap.wait_count(REGISTERED, 25)
    assert {e["subject"] for e in received} == ids
    assert len(received) == 25  # once each
    wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 0, 10, message="all marked published")
    assert rt.db[OUTBOX].count_documents({"status": "published", "attempts": 1}) == 25


def test_with_the_broker_away_commits_go_through_and_the_relay_sweeps_them_once_it_is_back(settings, capture):
    cap = capture("registry.#")
    away = settings.replace(outbox_publish_on_commit=True, amqp_url="amqp://guest:guest@127.0.0.1:1//")
    rt = ServiceRuntime("registry", away)
    rt.ensure_indexes()
    ids = [register(rt.db, n) for n in range(10)]
    assert rt.db[OUTBOX].count_documents({"status": PENDING}) == 10

    sweeper = OutboxRelay(rt.db, "registry", settings.replace(outbox_publish_on_commit=True))
    assert sweeper.grace == SWEEP_GRACE_SECONDS
    # A fresh row is its committing process's: the sweep leaves it alone for a moment.
    published = [sweeper.publish_pending()]
    assert rt.db[OUTBOX].find_one({"envelope.subject": ids[-1]})["status"] == PENDING

    def swept_all() -> bool:
        published[0] += sweeper.publish_pending()
        return published[0] >= 10
    wait_until(swept_all, SWEEP_GRACE_SECONDS + 10, 0.2, message="the sweep publishes them, as they age")
    assert published[0] == 10
    assert {e["subject"] for e in cap.wait_count(REGISTERED, 10)} == set(ids)
    assert rt.db[OUTBOX].count_documents({"status": PENDING}) == 0


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys, time
    from shared.config import load_settings
    from shared.http.auth import Principal
    from shared.runtime import ServiceRuntime
    from services.registry.structures import register_structure

    db = ServiceRuntime("registry", load_settings()).db
    staff = Principal(sub="staff-apmsl", federation="apmsl", roles=frozenset({"staff"}))
    for n in range(int(sys.argv[1])):
        doc = register_structure(db, staff, {"kind": "MSP", "name": f"MSP tuée {n:03d}", "city": "Nantes",
                                             "department": "44"})
        print(doc["_id"], flush=True)
        if n == 19:
            time.sleep(2)  # its publisher publishes the first half meanwhile
    os.kill(os.getpid(), signal.SIGKILL)  # right after the last commit: its publisher may not have published
""")


def test_a_process_killed_right_after_its_commits_loses_none_of_their_events(settings, capture):
    cap = capture("registry.#")
    on = settings.replace(outbox_publish_on_commit=True)
    rt = ServiceRuntime("registry", on)
    rt.ensure_indexes()
    env = {**os.environ, "MONGO_URL": on.mongo_url, "MONGO_DB_PREFIX": on.mongo_db_prefix, "AMQP_URL": on.amqp_url,
           "BUS_EXCHANGE": on.exchange, "BUS_QUEUE_PREFIX": on.queue_prefix, "MAILLAGE_ENV": "test",
           "LOG_LEVEL": "ERROR", "OUTBOX_PUBLISH_ON_COMMIT": "true",
           "BUS_RETRY_DELAYS": ",".join(str(d) for d in on.retry_delays)}
    writer = subprocess.run([sys.executable, "-c", KILLED_WRITER, "40"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert writer.returncode == -signal.SIGKILL, writer.stderr[-2000:]
    ids = set(writer.stdout.split())
    assert len(ids) == 40
    left_pending = rt.db[OUTBOX].count_documents({"status": PENDING})

    def delivered() -> set[str]:
        cap.drain(0.05)
        return {e["subject"] for e in cap.received if e["type"] == REGISTERED}

    with running_worker(rt):  # its relay sweeps what the killed process had not published (or not marked)
        wait_until(lambda: delivered() >= ids, SWEEP_GRACE_SECONDS + 20, 0, message="all 40 delivered")
        wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 0, 20, message="swept")
    assert delivered() == ids
    # Published but not yet marked when the process died: published again by the sweep, which consumers absorb.
    twice = len([e for e in cap.received if e["type"] == REGISTERED]) - len(ids)
    print(f"\n{left_pending} of 40 events still pending when the writer was killed; all 40 delivered, {twice} twice")
