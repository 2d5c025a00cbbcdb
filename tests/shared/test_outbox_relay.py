"""The transactional outbox and its relay, on the real broker and store."""
import threading
import time

import pytest

from shared.bus.outbox import OUTBOX, PENDING
from shared.bus.relay import OutboxRelay
from shared.bus.envelope import validate_envelope
from shared.testing import OutboxCapture, running_worker, wait_until
from shared.testing.proxy import CuttableProxy
from shared.worker import Worker

MSP = {"kind": "MSP", "name": "Pôle Santé Clisson", "city": "Clisson", "department": "44"}


def register(api, **overrides):
    r = api("registry").as_user("apmsl", ["admin"]).post("/registry/v1/structures", json={**MSP, **overrides})
    assert r.status_code == 201, r.json
    return r.json


def test_a_write_via_http_reaches_a_queue_bound_to_registry_with_a_valid_envelope(api, runtime, capture):
    cap = capture("registry.#")
    with running_worker(runtime("registry")):
        structure = register(api)
        envelope = cap.wait_for("registry.structure.registered.v1")
    validate_envelope(envelope)
    assert envelope["subject"] == structure["id"]
    assert envelope["source"] == "/registry"
    assert envelope["federation"] == "apmsl"
    assert envelope["sequence"] == 1
    assert envelope["data"]["name"] == "Pôle Santé Clisson"
    message = cap.messages[0]
    assert message.properties["delivery_mode"] == 2
    assert message.properties["message_id"] == envelope["id"]
    assert message.content_type == "application/cloudevents+json"


def test_the_request_id_travels_as_the_events_correlation_id(api, runtime):
    outbox = OutboxCapture(runtime("registry"))
    r = api("registry").as_user().post("/registry/v1/structures", json=MSP, headers={"X-Request-ID": "req-42"})
    assert r.headers["X-Request-ID"] == "req-42"
    assert outbox.events[0]["correlationid"] == "req-42"


def test_an_event_is_still_delivered_when_publishing_failed_after_the_commit(api, runtime, settings, capture):
    cap = capture("registry.#")
    rt = runtime("registry")
    structure = register(api)
    dead_broker = OutboxRelay(rt.db, "registry", settings.replace(amqp_url="amqp://guest:guest@127.0.0.1:1//"))
    with pytest.raises(Exception):
        dead_broker.publish_pending()
    assert rt.db[OUTBOX].count_documents({"status": PENDING}) == 1

    OutboxRelay(rt.db, "registry", settings).publish_pending()
    assert cap.wait_for("registry.structure.registered.v1")["subject"] == structure["id"]
    assert rt.db[OUTBOX].count_documents({"status": PENDING}) == 0


def test_a_relay_killed_between_publish_and_mark_publishes_again_and_nothing_is_lost(api, runtime, settings,
                                                                                  capture, monkeypatch):
    cap = capture("registry.#")
    rt = runtime("registry")
    for n in range(3):
        register(api, name=f"MSP numéro {n}")
    relay = OutboxRelay(rt.db, "registry", settings)

    def crash(*_):
        raise SystemExit("relay killed")
    monkeypatch.setattr(relay, "_mark", crash)
    with pytest.raises(SystemExit):
        relay.publish_pending()
    monkeypatch.undo()

    assert OutboxRelay(rt.db, "registry", settings).publish_pending() == 3
    received = cap.wait_count("registry.structure.registered.v1", 6)
    assert len({e["id"] for e in received}) == 3  # at least once: same ids, consumers deduplicate


def test_writes_succeed_while_the_broker_is_down_and_their_events_follow_when_it_is_back(api, runtime, settings,
                                                                                        capture):
    cap = capture("registry.#")
    proxy = CuttableProxy("127.0.0.1", int(settings.amqp_url.rsplit(":", 1)[1].split("/")[0]))
    via_proxy = settings.replace(amqp_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}//", outbox_poll_seconds=0.2)
    rt = runtime("registry")
    relay_runtime = type(rt)("registry", via_proxy)
    try:
        with running_worker(relay_runtime):
            register(api, name="Avant la panne")
            cap.wait_for("registry.structure.registered.v1")
            # The capture can see the event before the broker's confirm is back at the relay: cut then,
            # and that row stays pending too.
            wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 0, message="the first marked")
            proxy.cut()
            ids = [register(api, name=f"Pendant la panne {n}")["id"] for n in range(5)]
            wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 5, message="5 pending")
            proxy.restore()
            received = cap.wait_count("registry.structure.registered.v1", 6, timeout=30)
    finally:
        proxy.close()
    assert {e["subject"] for e in received} >= set(ids)


def test_the_relay_is_woken_by_a_commit_in_the_same_process_not_by_its_poll(api, runtime, settings, capture):
    cap = capture("registry.#")
    with running_worker(type(runtime("registry"))("registry", settings.replace(outbox_poll_seconds=60))):
        register(api)
        cap.wait_for("registry.structure.registered.v1", timeout=10)  # far below the 60 s poll


COMMIT_IN_ANOTHER_PROCESS = """
import json, sys
from shared.config import Settings
from shared.http.auth import Principal
from shared.runtime import ServiceRuntime
from services.registry.structures import register_structure
settings = Settings(**json.loads(sys.argv[1]))
db = ServiceRuntime("registry", settings).db
principal = Principal(sub="test", federation="apmsl", roles=frozenset({"admin"}))
print(register_structure(db, principal, {"kind": "MSP", "name": "Ailleurs", "city": "Nantes", "department": "44"})["_id"])
"""


def test_the_relay_is_woken_by_another_process_commit_through_the_broker_not_by_its_poll(runtime, settings, capture):
    import dataclasses
    import json
    import subprocess
    import sys

    cap = capture("registry.#")
    worker = Worker(type(runtime("registry"))("registry", settings.replace(outbox_poll_seconds=60))).start()
    try:
        wait_until(lambda: worker.relay.state == "leader", timeout=20)
        wait_until(lambda: any(t.name.startswith("outbox-wake") for t in threading.enumerate()))
        time.sleep(0.5)  # its wake queue bound (the first look after binding is not the one measured)
        fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
                  if f.name in ("mongo_url", "mongo_db_prefix", "amqp_url", "exchange", "queue_prefix")}
        fields["outbox_publish_on_commit"] = False  # else that process publishes its event itself: no wake at all
        done = subprocess.run([sys.executable, "-c", COMMIT_IN_ANOTHER_PROCESS, json.dumps(fields)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        envelope = cap.wait_for("registry.structure.registered.v1", timeout=10)  # far below the 60 s poll
        assert envelope["subject"] == done.stdout.strip()
    finally:
        worker.shutdown()


def test_a_running_relay_keeps_no_cursor_open_on_the_store_that_writes_would_feed(api, runtime):
    """An open change stream made every write on the embedded store dearer, a getMore each (issue 12)."""
    rt = runtime("registry")

    def getmores():
        return rt.db.client.admin.command("serverStatus")["opcounters"]["getmore"]
    with running_worker(rt) as worker:
        wait_until(lambda: worker.relay.state == "leader", timeout=20)
        before = getmores()
        for n in range(5):
            register(api, name=f"MSP sans curseur {n}")
        wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 0)
        assert getmores() == before


def test_only_one_relay_holds_the_lease(runtime, settings):
    rt = runtime("registry")
    first, second = OutboxRelay(rt.db, "registry", settings), OutboxRelay(rt.db, "registry", settings)
    assert first.hold_lease()
    assert not second.hold_lease()
    assert first.hold_lease()  # renewing its own lease


def _pending_events(db, count: int, *, seq_base: float | None = None) -> list[str]:
    from shared.bus.envelope import make_envelope
    import datetime as dt
    import time as _time

    now = dt.datetime.now(dt.timezone.utc)
    base = seq_base if seq_base is not None else _time.time()
    docs = []
    for n in range(count):
        env = make_envelope(source="/registry", type="registry.structure.updated.v1", subject=f"s{n}", data={"n": n},
                            federation="apmsl", correlation_id=None, sequence=n + 1)
        docs.append({"_id": env["id"], "envelope": env, "routing_key": "registry.structure.updated",
                     "status": PENDING, "seq": base + n * 1e-4, "created_at": now, "attempts": 0})
    db[OUTBOX].insert_many(docs)
    return [d["_id"] for d in docs]


def test_two_relays_on_one_backlog_publish_each_event_once(runtime, settings, capture):
    rt = runtime("registry")
    cap = capture("registry.#")
    ids = _pending_events(rt.db, 1000)  # ten batches of 100
    stop = threading.Event()
    relays = [OutboxRelay(rt.db, "registry", settings.replace(outbox_batch_size=100)) for _ in range(2)]
    threads = [threading.Thread(target=r.run, args=(stop,), daemon=True) for r in relays]
    for t in threads:
        t.start()
    try:
        wait_until(lambda: rt.db[OUTBOX].count_documents({"status": PENDING}) == 0, timeout=120)
        cap.wait_count("registry.structure.updated.v1", 1000, timeout=30)
        cap.drain(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    got = [e["id"] for e in cap.received]
    assert sorted(set(got)) == sorted(ids)
    assert len(got) == 1000, f"{len(got) - 1000} duplicates"
    assert sorted(r.state for r in relays) == ["stopped", "stopped"]


def test_a_stopping_relay_hands_its_lease_over_at_once(runtime, settings, capture):
    rt = runtime("registry")
    cap = capture("registry.#")
    first, second = OutboxRelay(rt.db, "registry", settings), OutboxRelay(rt.db, "registry", settings)
    stop_first, stop_second = threading.Event(), threading.Event()
    t1 = threading.Thread(target=first.run, args=(stop_first,), daemon=True)
    t1.start()
    wait_until(lambda: first.state == "leader")
    t2 = threading.Thread(target=second.run, args=(stop_second,), daemon=True)
    t2.start()
    wait_until(lambda: second.state == "standby")
    stop_first.set()
    t1.join(10)
    try:
        ids = _pending_events(rt.db, 5)
        # Without the release, the second relay would wait for the 15 s lease to run out.
        wait_until(lambda: len({e["id"] for e in cap.drain(0.1)} & set(ids)) == 5, timeout=5,
                   message="published by the second relay")
        assert second.state == "leader"
    finally:
        stop_second.set()
        t2.join(10)


def test_an_event_committed_with_an_old_seq_is_still_published(runtime, settings, capture):
    """Batches are read by windows of seq; a straggler below the window is caught by the sweep."""
    import shared.bus.relay as relay_module

    rt = runtime("registry")
    cap = capture("registry.#")
    relay = OutboxRelay(rt.db, "registry", settings)
    _pending_events(rt.db, 3)
    assert relay.publish_pending() == 3
    old = _pending_events(rt.db, 1, seq_base=time.time() - 3 * 3600)
    relay._swept_at -= relay_module.SWEEP_SECONDS + 1
    assert relay.publish_pending() == 1
    cap.wait_for("registry.structure.updated.v1", lambda e: e["id"] == old[0])


def test_stop_poking_sends_the_pending_poke_then_ends_the_poker_thread(runtime, settings):
    """What the test harness does before deleting a test's exchanges: a poke still on its way (its poker
    connecting, then declaring the wake exchange) came after the deletes and left the exchange behind."""
    from shared.bus import wake
    from shared.bus.connection import connect

    rt = runtime("registry")
    name = f"outbox-wake-poker {settings.exchange}"
    wake.after_commit(rt.db)  # no relay in this process: a poke through the broker, by a poker thread
    assert any(t.name == name for t in threading.enumerate())
    wake.stop_poking(settings)
    with connect(settings, confirms=False) as conn:  # the poke went out: its exchange is declared
        conn.channel().exchange_declare(wake.wake_exchange(settings).name, "direct", passive=True)
    wait_until(lambda: not any(t.name == name for t in threading.enumerate()), message="the poker thread ended")
