"""An operator running `maillage …` gets one readable line and a non-zero exit, never a traceback;
`dlq list` says when there is nothing to list, and why."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from kombu import Producer

from shared.bus.connection import connect
from shared.bus.topology import DEFAULT_EXCHANGE, consumer_topology, declare
from shared.cli import main
from shared.ports import free_port


def maillage(*args, **env):
    result = CliRunner().invoke(main, list(args), env={"MAILLAGE_ENV": "test", **env})
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"traceback instead of a line: {result.exception!r}"
    return result


def lines(result) -> list[str]:
    return result.output.strip().splitlines()


def test_outbox_status_without_a_reachable_store_is_one_line():
    port = free_port()  # nothing listens there

    result = maillage("outbox", "status", MONGO_URL=f"mongodb://127.0.0.1:{port}/")

    assert result.exit_code == 1
    assert lines(result) == [f"Error: cannot read the store at 127.0.0.1:{port}/: 127.0.0.1:{port}: "
                             f"[Errno 111] Connection refused (is MONGO_URL right, and the store running?)"]


def test_dlq_list_under_the_in_memory_broker_says_it_keeps_no_dlq():
    result = maillage("dlq", "list", "events.registry-projection", AMQP_URL="memory://localhost/")

    assert result.exit_code == 1
    assert len(lines(result)) == 1
    assert "the in-memory broker" in result.output and "keeps no dead-letter queue across processes" in result.output


def test_dlq_list_with_an_unreachable_broker_is_one_line():
    port = free_port()

    result = maillage("dlq", "list", "events.registry-projection", AMQP_URL=f"amqp://guest:guest@127.0.0.1:{port}//")

    assert result.exit_code == 1
    assert lines(result) == [f"Error: cannot reach the broker at 127.0.0.1:{port}//: [Errno 111] Connection refused "
                             f"(is AMQP_URL right, and RabbitMQ running?)"]


@pytest.mark.integration
def test_dlq_list_of_an_unknown_queue_is_one_line_naming_the_real_ones(settings):
    result = maillage("dlq", "list", "events.no-such-queue", AMQP_URL=settings.amqp_url)

    assert result.exit_code == 1
    assert len(lines(result)) == 1
    assert lines(result)[0].startswith("Error: no dead-letter queue 'events.no-such-queue.dlq' on this broker")
    assert "events.registry-projection" in result.output


@pytest.fixture
def registry_projection_queue(settings):
    """A consumer's queues (main, retries, DLQ) declared on the real broker, under this test's prefix."""
    topology = consumer_topology(settings, f"{settings.queue_prefix}events.registry-projection", ["registry.#"])
    with connect(settings, confirms=False) as conn:
        declare(conn, topology)
    return topology


@pytest.mark.integration
def test_dlq_list_of_an_empty_queue_says_nothing_is_parked(settings, registry_projection_queue):
    queue = registry_projection_queue.queue.name

    result = maillage("dlq", "list", queue, AMQP_URL=settings.amqp_url)

    assert result.exit_code == 0
    assert lines(result) == [f"no message parked in {queue}.dlq"]


@pytest.mark.integration
def test_dlq_list_shows_a_parked_event_and_leaves_it_there(settings, registry_projection_queue):
    dlq = registry_projection_queue.dlq.name
    with connect(settings, confirms=True) as conn:
        Producer(conn.channel(), exchange=DEFAULT_EXCHANGE).publish(
            {"type": "registry.structure.registered.v1", "subject": "s1"}, routing_key=dlq, message_id="e1",
            headers={"x-maillage-error": "KeyError: 'finess'"}, delivery_mode=2)

    for _ in range(2):  # listing is a peek
        result = maillage("dlq", "list", registry_projection_queue.queue.name, AMQP_URL=settings.amqp_url)
        assert result.exit_code == 0
        [row] = [json.loads(line) for line in lines(result)]
        assert row["id"] == "e1" and row["type"] == "registry.structure.registered.v1"
        assert row["error"] == "KeyError: 'finess'"


def test_any_command_failing_unexpectedly_says_it_in_one_line(monkeypatch):
    """`dlq replay` with no broker, say: no traceback, exit 1."""
    from click.testing import CliRunner

    from shared.cli import main as cli

    monkeypatch.setenv("AMQP_URL", "amqp://guest:guest@127.0.0.1:1//")
    monkeypatch.delenv("MAILLAGE_DEBUG", raising=False)
    result = CliRunner().invoke(cli, ["dlq", "replay", "events.registry-projection"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1, result.output
