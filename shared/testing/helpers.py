"""Helpers to test services through their real bus and store (see `shared.testing`)."""
from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager

from kombu import Consumer, Queue, binding

from shared.bus.connection import connect, events_exchange
from shared.bus.consumer import PROCESSED, Subscription, handle_envelope
from shared.bus.envelope import make_envelope
from shared.bus.outbox import OUTBOX
from shared.bus.topology import queue_name
from shared.runtime import ServiceRuntime
from shared.worker import Worker


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def make_event(type: str, data: dict, *, subject: str | None = None, sequence: int = 1,
               federation: str | None = "apmsl", source: str | None = None) -> dict:
    """An envelope as another service would publish it (data already in its JSON form)."""
    return make_envelope(source=source or type.split(".")[0], type=type, subject=subject or str(uuid.uuid4()),
                         data=data, federation=federation, correlation_id=str(uuid.uuid4()), sequence=sequence)


def run_handler(runtime: ServiceRuntime, subscription: Subscription, envelope: dict) -> str:
    """Run the subscription's handler on `envelope` like the consumer would (idempotency included)."""
    name = queue_name(runtime.settings, subscription.service, subscription.purpose)
    return handle_envelope(runtime.db, subscription, name, envelope)


def wait_until_handled(runtime: ServiceRuntime, event_id: str, timeout: float = 10.0) -> dict:
    """Until a consumer of `runtime` recorded the event as processed (a handler marked
    `shared.projection.single_upsert` records nothing: wait for the document it writes instead)."""
    return wait_until(lambda: runtime.db[PROCESSED].find_one({"_id": {"$regex": f":{event_id}$"}}),
                      timeout, message=f"event {event_id} handled by {runtime.name}")


class OutboxCapture:
    """The events written to a service's outbox since this capture began (works without a broker)."""

    def __init__(self, runtime: ServiceRuntime):
        self.db = runtime.db
        self.before = {d["_id"] for d in self.db[OUTBOX].find({}, {"_id": 1})}

    @property
    def events(self) -> list[dict]:
        docs = self.db[OUTBOX].find({"_id": {"$nin": list(self.before)}}).sort("seq", 1)
        return [d["envelope"] for d in docs]

    @property
    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def of(self, type: str) -> list[dict]:
        return [e for e in self.events if e["type"] == type]


class EventCapture:
    """A temporary queue bound to the exchange with `pattern`: what really went over the broker."""

    def __init__(self, settings, pattern: str = "#"):
        self.settings = settings
        self.conn = connect(settings, confirms=False)
        self.queue = Queue(f"capture.{uuid.uuid4().hex[:10]}", exclusive=True, auto_delete=True,
                           bindings=[binding(events_exchange(settings), routing_key=pattern)])
        self.received: list[dict] = []
        self.messages = []
        self._consumer = Consumer(self.conn.channel(), queues=[self.queue], on_message=self._on_message,
                                  accept=None)
        self._consumer.consume()

    def _on_message(self, message):
        self.messages.append(message)
        self.received.append(json.loads(message.body))
        message.ack()

    def drain(self, seconds: float = 0.05) -> list[dict]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.conn.drain_events(timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                pass
            except OSError:
                pass
        return self.received

    def wait_for(self, type: str, predicate=None, timeout: float = 10.0) -> dict:
        def found():
            for env in self.received:
                if env["type"] == type and (predicate is None or predicate(env)):
                    return env
            self.drain(0.05)
            return None
        return wait_until(found, timeout, 0, message=f"event {type} on the broker")

    def wait_count(self, type: str, count: int, timeout: float = 10.0) -> list[dict]:
        def enough():
            self.drain(0.05)
            matching = [e for e in self.received if e["type"] == type]
            return matching if len(matching) >= count else None
        return wait_until(enough, timeout, 0, message=f"{count} × {type}")

    def close(self) -> None:
        try:
            self._consumer.cancel()
        finally:
            self.conn.release()


@contextmanager
def running_worker(runtime: ServiceRuntime):
    worker = Worker(runtime).start()
    try:
        yield worker
    finally:
        worker.shutdown(5)
