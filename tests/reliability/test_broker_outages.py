"""The bus survives its broker: stopped, started and killed while the platform works.

The tests run on a RabbitMQ node of their own (one per module, never the shared one); the registry writes
through its use case, its events are published (on commit, or by its worker's relay), and the other
services' workers project what they receive.
"""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from kombu import Connection

from reliability_kit import StructureWriter, projected, wait_for
from shared.bus.outbox import OUTBOX, PENDING
from shared.cli import main as cli
from shared.testing import running_worker

PROJECTING = ("events", "training", "notifications")
REGISTRY_QUEUES = ("events.registry-projection", "training.registry-projection", "notifications.messages",
                   "notifications.webhooks")


def queue_depths(url: str, names) -> dict[str, int | None]:
    out = {}
    with Connection(url) as conn:
        channel = conn.channel()
        for name in names:
            try:
                out[name] = channel.queue_declare(queue=name, passive=True).message_count
            except Exception:  # noqa: BLE001 - not declared
                out[name] = None
                channel = conn.channel()
    return out


def test_every_projection_is_complete_after_five_broker_stops_and_kills_during_a_thousand_writes(
        publishing_platform, broker):
    """As in production: the writer publishes its own commits; what it could not publish while the broker
    was away is swept by the registry worker's relay."""
    platform = publishing_platform
    writer = StructureWriter(platform["registry"], count=1000, pace=0.045)  # what the 4 workers keep up with
    workers = [running_worker(platform[name]) for name in ("registry", *PROJECTING)]
    started = [w.__enter__() for w in workers]
    try:
        writer.start()
        faults = []
        for n in range(5):
            # Spread over the writes whatever the machine's speed: after write 150, 300 … 750, and at
            # least 1.5 s after the broker came back.
            time.sleep(1.5)
            wait_for(lambda n=n: len(writer.written) >= 150 * (n + 1), timeout=120, interval=0.05)
            how = "kill -9" if n % 2 else "stop"
            broker.kill() if n % 2 else broker.stop()
            down_at = time.monotonic()
            time.sleep(0.5)  # the node's own start then keeps it away for 5 s or more
            broker.start()
            faults.append((how, round(time.monotonic() - down_at, 1)))
        writer.join(180)
        assert not writer.errors, writer.errors[:3]
        assert len(writer.written) == 1000
        ids = writer.written
        back_at = time.monotonic()

        def complete():
            return all(len(projected(platform[name], ids)) == 1000 for name in PROJECTING)
        wait_for(complete, timeout=120)
        seconds_to_complete = round(time.monotonic() - back_at, 1)
        statuses = [w.status() for w in started]
    finally:
        for w in workers:
            w.__exit__(None, None, None)

    for name in PROJECTING:
        got = projected(platform[name], ids)
        assert got == ids, f"{name}: {len(got)} of 1000 projected"
    assert platform["registry"].db[OUTBOX].count_documents({"status": PENDING}) == 0
    # Every consumer came back and was consuming at the end; none died on the way.
    for status in statuses:
        assert status["live"], status
        assert all(c["state"] == "consuming" for c in status["consumers"]), status["consumers"]
    reconnects = sum(c["reconnects"] for s in statuses for c in s["consumers"])
    assert reconnects >= 5
    print(f"\nfaults {faults}; complete {seconds_to_complete}s after the last write; "
          f"{reconnects} consumer reconnects")


def test_a_worker_started_while_the_broker_is_down_reports_not_ready_then_consumes(platform, broker):
    broker.stop()
    with running_worker(platform["events"]) as worker:
        time.sleep(1.5)
        status = worker.status()
        assert status["live"] and not status["ready"]
        assert all(c["state"] in ("connecting", "reconnecting") for c in status["consumers"])
        broker.start()
        assert wait_for(lambda: worker.status()["ready"], timeout=30), worker.status()
        writer = StructureWriter(platform["registry"], count=5, pace=0)
        writer.run()
        with running_worker(platform["registry"]):
            assert wait_for(lambda: len(projected(platform["events"], writer.written)) == 5, timeout=30)


def test_events_published_on_a_broker_no_consumer_has_seen_wait_in_their_subscribers_queues(platform, broker):
    """A fresh broker: only the registry's worker runs. Its relay declares every subscriber's queue
    before it publishes, so nothing is lost for the services that start later."""
    writer = StructureWriter(platform["registry"], count=25, pace=0)
    with running_worker(platform["registry"]):
        writer.run()
        assert wait_for(lambda: platform["registry"].db[OUTBOX].count_documents({"status": PENDING}) == 0, 30)
    settings = platform["events"].settings
    names = [f"{settings.queue_prefix}{name}" for name in REGISTRY_QUEUES]
    assert wait_for(lambda: set(queue_depths(broker.url, names).values()) == {25}, 10), \
        queue_depths(broker.url, names)
    with running_worker(platform["events"]), running_worker(platform["training"]):
        assert wait_for(lambda: len(projected(platform["events"], writer.written)) == 25
                        and len(projected(platform["training"], writer.written)) == 25, timeout=30)


def test_maillage_declare_creates_every_subscriber_queue_before_any_worker_runs(bus_settings, broker, monkeypatch):
    monkeypatch.setenv("AMQP_URL", broker.url)
    monkeypatch.setenv("BUS_QUEUE_PREFIX", bus_settings.queue_prefix)
    monkeypatch.setenv("BUS_EXCHANGE", bus_settings.exchange)
    monkeypatch.setenv("MAILLAGE_ENV", "test")
    result = CliRunner().invoke(cli, ["declare"])
    assert result.exit_code == 0, result.output
    names = [f"{bus_settings.queue_prefix}{name}" for name in REGISTRY_QUEUES]
    assert set(queue_depths(broker.url, names).values()) == {0}
    broker.stop()
    result = CliRunner().invoke(cli, ["declare"])
    assert result.exit_code == 1 and "cannot declare the topology" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_worker_health_says_unhealthy_when_a_consumer_thread_is_dead(platform, broker, monkeypatch):
    from shared.worker import HEARTBEAT_SECONDS

    monkeypatch.setenv("VAR_DIR", platform["events"].settings.var_dir)
    monkeypatch.setenv("MAILLAGE_ENV", "test")
    with running_worker(platform["events"]) as worker:
        assert wait_for(lambda: worker.status()["ready"], timeout=20)
        time.sleep(HEARTBEAT_SECONDS + 0.5)
        assert CliRunner().invoke(cli, ["worker-health", "events", "--ready"]).exit_code == 0
        # A consumer thread that ends for good (what a broker restart used to cause):
        class ThreadKiller(BaseException):
            pass

        def die(*args, **kwargs):
            raise ThreadKiller()
        monkeypatch.setattr("shared.bus.consumer.handle_envelope", die)
        StructureWriter(platform["registry"], count=1, pace=0).run()
        with running_worker(platform["registry"]):
            assert wait_for(lambda: not worker.status()["live"], timeout=20)
        time.sleep(HEARTBEAT_SECONDS + 0.5)
        result = CliRunner().invoke(cli, ["worker-health", "events", "-v"])
        assert result.exit_code == 1
        assert json.loads(result.output)["consumers"][0]["thread_alive"] is False
