"""What tests leave on the shared broker, taken away: a test's exchanges, and the queues of a dev run.

A dev run on a new data directory declares every subscriber queue under a prefix of its own
(`shared.dev_queues`). A test's data directory is gone once the test ends, so nothing would ever read
those queues again, while every later dev run's events on the same exchange would pile up in them.
"""
from __future__ import annotations

from pathlib import Path

from kombu.exceptions import OperationalError

from shared.bus.connection import connect
from shared.bus.wake import wake_exchange
from shared.config import Settings
from shared.dev_queues import PREFIX_FILE
from shared.runtime import platform_topologies


def delete_exchanges(conn, settings: Settings) -> None:
    """A test's events exchange, and the relays' wake exchange declared beside it."""
    for name in (settings.exchange, wake_exchange(settings).name):
        conn.channel().exchange_delete(name)


def delete_platform_queues(settings: Settings) -> None:
    """Every subscriber queue of the platform under `settings.queue_prefix`, with its retry and DLQ queues."""
    with connect(settings, confirms=False) as conn:
        for topology in platform_topologies(settings):
            for queue in topology.all:
                conn.channel().queue_delete(queue.name)


def delete_dev_run_queues(var_dir: str | Path, amqp_url: str | None = None) -> None:
    """The queues of the dev run that used `var_dir` (its prefix is recorded there); unprefixed ones are kept."""
    record = Path(var_dir) / PREFIX_FILE
    prefix = record.read_text(encoding="utf-8").strip() if record.exists() else ""
    if not prefix:
        return
    settings = Settings().replace(queue_prefix=prefix, **({"amqp_url": amqp_url} if amqp_url else {}))
    try:
        delete_platform_queues(settings)
    except (OSError, OperationalError):  # no broker: the dev run used the in-memory transport, it left nothing
        pass
