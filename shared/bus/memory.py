"""kombu's in-memory transport (`make dev` without RabbitMQ), and what it lacks made up for, in one place:
it has no publisher confirms nor returns (a batch is simply published), and no TTL queues (a retry
waits on a timer instead)."""
from __future__ import annotations

import json
import threading

from kombu import Connection, Producer

from shared.bus.envelope import CONTENT_TYPE


def is_memory(url: str) -> bool:
    return url.startswith("memory://")


def memory_connection(url: str) -> Connection:
    # It polls its queues: keep dev snappy.
    return Connection(url, transport_options={"polling_interval": 0.05}, connect_timeout=5)


def publish_batch(conn: Connection, exchange, batch: list[dict]) -> set[str]:
    """Publish outbox rows; nothing is ever returned (no mandatory flag here)."""
    producer = Producer(conn.default_channel, exchange=exchange)
    for doc in batch:
        env = doc["envelope"]
        producer.publish(json.dumps(env), routing_key=doc["routing_key"], content_type=CONTENT_TYPE,
                         content_encoding="utf-8", delivery_mode=2, message_id=env["id"],
                         correlation_id=env.get("correlationid"))
    return set()


def later(delay: float, fn, *args) -> None:
    """Stands in for a TTL retry queue."""
    timer = threading.Timer(delay, fn, args=args)
    timer.daemon = True
    timer.start()
