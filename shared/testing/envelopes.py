"""Envelopes as another service publishes them, built from that service's own catalog, so that a
consumer's test feeds exactly what the producer sends (the data goes through the producer's schema).

    registry = PublishedBy("registry")
    env = registry.event("registry.structure.registered.v1", {"id": "s1", "kind": "MSP", ...}, sequence=1)
    publish(settings, env)            # onto the test's exchange, as the relay would
"""
from __future__ import annotations

import json
import uuid

from kombu import Producer

from shared.bus.connection import connect, events_exchange
from shared.bus.envelope import CONTENT_TYPE, make_envelope, routing_key_of
from shared.config import Settings
from shared.runtime import ServiceRuntime


class PublishedBy:
    def __init__(self, service: str):
        self.service = service
        self.catalog = ServiceRuntime(service, Settings()).catalog()

    def event(self, type: str, data: dict, *, subject: str | None = None, sequence: int = 1,
              federation: str | None = "apmsl") -> dict:
        if type not in self.catalog.types:
            raise KeyError(f"{self.service} publishes no {type}; it publishes {sorted(self.catalog.types)}")
        dumped = self.catalog.types[type].dump(data)
        return make_envelope(source=self.service, type=type, subject=subject or str(data.get("id") or uuid.uuid4()),
                             data=dumped, federation=federation, correlation_id=str(uuid.uuid4()), sequence=sequence)


def publish(settings, *envelopes: dict) -> None:
    """Put envelopes on the test's exchange, persistent, with the routing key of their type."""
    with connect(settings) as conn:  # with publisher confirms: on the broker when this returns
        exchange = events_exchange(settings)
        exchange(conn.default_channel).declare()
        producer = Producer(conn.default_channel, exchange=exchange)
        for env in envelopes:
            producer.publish(json.dumps(env), routing_key=routing_key_of(env["type"]), delivery_mode=2,
                             content_type=CONTENT_TYPE, content_encoding="utf-8", message_id=env["id"],
                             correlation_id=env.get("correlationid"))
