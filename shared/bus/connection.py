"""Connections to the broker (RabbitMQ, or kombu's in-memory transport in `make dev`)."""
from __future__ import annotations

from kombu import Connection, Exchange


def is_memory(url: str) -> bool:
    return url.startswith("memory://")


def connect(settings, *, confirms: bool = True) -> Connection:
    options = {}
    if confirms and not is_memory(settings.amqp_url):
        options["confirm_publish"] = True
    if is_memory(settings.amqp_url):
        options["polling_interval"] = 0.05  # the in-memory transport polls; keep dev snappy
    return Connection(settings.amqp_url, transport_options=options, heartbeat=30 if not is_memory(settings.amqp_url) else 0,
                      connect_timeout=5)


def events_exchange(settings) -> Exchange:
    return Exchange(settings.exchange, type="topic", durable=True)


def broker_ready(settings, timeout: float = 2.0) -> bool:
    with connect(settings, confirms=False) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        return conn.connected
