"""Queues of one consumer: `<q>` bound to the exchange, `<q>.retry.<n>` (TTL, dead-letters back to
`<q>`) with growing delays, and `<q>.dlq` where messages land after the last attempt."""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue, binding

from shared.bus.connection import events_exchange

DEFAULT_EXCHANGE = Exchange("", type="direct")
# Names of the queues this process declared (test teardown deletes its own).
declared_queues: set[str] = set()


@dataclass(frozen=True)
class Topology:
    queue: Queue
    retries: list[Queue]
    dlq: Queue

    @property
    def all(self) -> list[Queue]:
        return [self.queue, *self.retries, self.dlq]


def queue_name(settings, service: str, purpose: str) -> str:
    return f"{settings.queue_prefix}{service}.{purpose}"


def consumer_topology(settings, name: str, bindings: list[str]) -> Topology:
    exchange = events_exchange(settings)
    queue = Queue(name, bindings=[binding(exchange, routing_key=key) for key in bindings], durable=True)
    retries = [
        Queue(f"{name}.retry.{n}", exchange=DEFAULT_EXCHANGE, routing_key=f"{name}.retry.{n}", durable=True,
              queue_arguments={"x-message-ttl": int(delay * 1000), "x-dead-letter-exchange": "",
                               "x-dead-letter-routing-key": name})
        for n, delay in enumerate(settings.retry_delays, start=1)
    ]
    dlq = Queue(f"{name}.dlq", exchange=DEFAULT_EXCHANGE, routing_key=f"{name}.dlq", durable=True)
    return Topology(queue, retries, dlq)


def declare(connection, topology: Topology) -> None:
    channel = connection.default_channel
    for queue in topology.all:
        declared_queues.add(queue.name)  # first: a declare that fails halfway may still leave the queue
        queue.bind(channel).declare()


def declare_all(connection, topologies) -> None:
    for topology in topologies:
        declare(connection, topology)
