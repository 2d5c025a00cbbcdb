"""Connections to the broker (RabbitMQ, or kombu's in-memory transport in `make dev`)."""
from __future__ import annotations

from kombu import Connection, Exchange

from shared.bus.memory import is_memory, memory_connection


WRITE_TIMEOUT_SECONDS = 10


def connect(settings, *, confirms: bool = True) -> Connection:
    if is_memory(settings.amqp_url):
        return memory_connection(settings.amqp_url)
    # A write that cannot go out in WRITE_TIMEOUT (a broker blocking its publishers, a dead peer that
    # TCP has not noticed) raises instead of hanging the relay or a consumer for good.
    options = {"write_timeout": WRITE_TIMEOUT_SECONDS, **({"confirm_publish": True} if confirms else {})}
    return Connection(settings.amqp_url, transport_options=options, heartbeat=30, connect_timeout=5)


def events_exchange(settings) -> Exchange:
    return Exchange(settings.exchange, type="topic", durable=True)


def broker_ready(settings, timeout: float = 2.0) -> bool:
    with connect(settings, confirms=False) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        return conn.connected


def drop(conn, *, graceful: bool) -> None:
    """Close a connection. After an error, don't negotiate with a broker that may be half gone:
    drop the socket, so that it knows at once that our unacked messages are to be redelivered."""
    try:
        conn.release() if graceful else conn.collect()
    except Exception:  # noqa: BLE001 - closing a broken connection
        try:
            conn.collect()
        except Exception:  # noqa: BLE001
            pass
