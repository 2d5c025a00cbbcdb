"""The transactional outbox and its relay, on the real broker and store."""
import threading

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


def test_the_relay_is_woken_by_another_process_commit_through_the_change_stream(api, runtime, settings, capture):
    cap = capture("registry.#")
    worker = Worker(type(runtime("registry"))("registry", settings.replace(outbox_poll_seconds=60)))
    worker.relay.wakeup = threading.Event()  # not the api's in-process signal: only the change stream wakes it
    worker.start()
    try:
        wait_until(lambda: any(t.name.startswith("outbox-watch") for t in threading.enumerate()))
        register(api)
        cap.wait_for("registry.structure.registered.v1", timeout=10)
    finally:
        worker.shutdown()


def test_only_one_relay_holds_the_lease(runtime, settings):
    rt = runtime("registry")
    first, second = OutboxRelay(rt.db, "registry", settings), OutboxRelay(rt.db, "registry", settings)
    assert first.hold_lease()
    assert not second.hold_lease()
    assert first.hold_lease()  # renewing its own lease
