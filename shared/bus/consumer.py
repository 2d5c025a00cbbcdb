"""Consumer runner: one durable queue per (service, purpose); manual ack after the handler's writes
are committed; idempotent on the event id; failures retried through TTL queues with growing delays,
then parked in `<queue>.dlq`. Never ack-and-drop.

A handler is `fn(event: dict, tx: Tx)`: it writes with `tx.session` (and may `tx.emit`), and its
writes commit together with the record that this consumer processed the event.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import traceback
from dataclasses import dataclass, field
from typing import Callable

from kombu import Consumer, Producer
from kombu.mixins import ConsumerMixin
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.bus.connection import connect, is_memory
from shared.bus.envelope import CONTENT_TYPE, routing_key_of, validate_envelope
from shared.bus.outbox import Tx, atomic
from shared.bus.topology import DEFAULT_EXCHANGE, Topology, consumer_topology, declare, queue_name
from shared.logs import correlation_id_var, log
from shared.metrics import EVENTS_CONSUMED, EVENTS_FAILED
from shared.mongo import Index

logger = logging.getLogger("maillage.consumer")

PROCESSED = "processed_events"
PROCESSED_INDEXES = [Index(PROCESSED, "at", {"expireAfterSeconds": 30 * 24 * 3600})]
ATTEMPT_HEADER = "x-maillage-attempt"

Handler = Callable[[dict, Tx], None]


class PoisonMessage(Exception):
    """The message can never be handled (not JSON, not an envelope): straight to the DLQ."""


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` zero or more."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (p[0] == "*" or p[0] == k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), key.split("."))


@dataclass
class Subscription:
    """A queue of `service` for one `purpose`, with a handler per routing key (pattern)."""
    service: str
    purpose: str
    handlers: dict[str, Handler]
    concurrency: int = 1
    extra: dict = field(default_factory=dict)

    def handler_for(self, routing_key: str) -> Handler | None:
        if routing_key in self.handlers:
            return self.handlers[routing_key]
        for pattern, handler in self.handlers.items():
            if topic_matches(pattern, routing_key):
                return handler
        return None


def parse(body: bytes | str) -> dict:
    try:
        envelope = json.loads(body)
        return validate_envelope(envelope)
    except Exception as exc:  # noqa: BLE001
        raise PoisonMessage(f"not a valid event envelope: {exc}") from exc


def handle_envelope(db: Database, subscription: Subscription, queue: str, envelope: dict) -> str:
    """Run the handler once per (queue, event id). Returns handled | duplicate | ignored."""
    handler = subscription.handler_for(routing_key_of(envelope["type"]))
    if handler is None:
        return "ignored"
    key = f"{queue}:{envelope['id']}"
    if db[PROCESSED].find_one({"_id": key}, {"_id": 1}):
        return "duplicate"

    def work(tx: Tx) -> None:
        tx.db[PROCESSED].insert_one({"_id": key, "type": envelope["type"], "at": dt.datetime.now(dt.timezone.utc)},
                                    session=tx.session)
        handler(envelope, tx)

    token = correlation_id_var.set(envelope.get("correlationid"))
    try:
        atomic(db, subscription.service, work)
        return "handled"
    except DuplicateKeyError as exc:
        if PROCESSED in str(exc):
            return "duplicate"
        raise
    finally:
        correlation_id_var.reset(token)


class QueueWorker(ConsumerMixin):
    """Consumes one subscription's queue until `stop` is set; reconnects by itself (kombu)."""

    def __init__(self, db: Database, settings, subscription: Subscription):
        self.db = db
        self.settings = settings
        self.subscription = subscription
        self.name = queue_name(settings, subscription.service, subscription.purpose)
        self.topology: Topology = consumer_topology(settings, self.name, list(subscription.handlers))
        self.connection = connect(settings, confirms=False)
        self._producer_conn = connect(settings, confirms=True)
        self._timers: list[threading.Timer] = []

    def declare(self) -> None:
        with connect(self.settings, confirms=False) as conn:
            declare(conn, self.topology)

    def get_consumers(self, consumer_cls, channel):
        return [consumer_cls(queues=[self.topology.queue], on_message=self.on_message,
                             prefetch_count=self.settings.worker_prefetch, accept=None)]

    def on_connection_revived(self):
        declare(self.connection, self.topology)

    def on_message(self, message) -> None:
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0)) + 1
        try:
            envelope = parse(message.body)
            outcome = handle_envelope(self.db, self.subscription, self.name, envelope)
            message.ack()
            EVENTS_CONSUMED.labels(self.name, outcome).inc()
        except PoisonMessage as exc:
            self._park(message, attempt, str(exc))
        except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then parked
            EVENTS_FAILED.labels(self.name).inc()
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            log(logger, logging.WARNING, "handler failed", queue=self.name, attempt=attempt, error=error)
            if attempt > len(self.topology.retries):
                self._park(message, attempt, error)
            else:
                self._retry(message, attempt, error)

    def _republish(self, message, routing_key: str, headers: dict) -> None:
        producer = Producer(self._producer_conn.default_channel, exchange=DEFAULT_EXCHANGE)
        properties = message.properties or {}
        producer.publish(message.body, routing_key=routing_key, headers=headers,
                         content_type=message.content_type or CONTENT_TYPE,
                         content_encoding=message.content_encoding or "utf-8", delivery_mode=2,
                         message_id=properties.get("message_id"), correlation_id=properties.get("correlation_id"),
                         retry=True, retry_policy={"max_retries": 3})

    def _retry(self, message, attempt: int, error: str) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt, "x-maillage-last-error": error[:500]}
        retry_queue = self.topology.retries[attempt - 1]
        if is_memory(self.settings.amqp_url):
            # The in-memory transport has no TTL: a timer puts it back on the queue instead.
            delay = self.settings.retry_delays[attempt - 1]
            timer = threading.Timer(delay, self._republish, args=(message, self.name, headers))
            timer.daemon = True
            timer.start()
        else:
            self._republish(message, retry_queue.name, headers)
        message.ack()
        EVENTS_CONSUMED.labels(self.name, "retried").inc()

    def _park(self, message, attempt: int, error: str) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt, "x-maillage-error": error[:2000],
                   "x-maillage-queue": self.name,
                   "x-maillage-routing-key": (message.delivery_info or {}).get("routing_key", ""),
                   "x-maillage-failed-at": dt.datetime.now(dt.timezone.utc).isoformat()}
        self._republish(message, self.topology.dlq.name, headers)
        message.ack()
        EVENTS_CONSUMED.labels(self.name, "dead_lettered").inc()
        log(logger, logging.ERROR, "message dead-lettered", queue=self.name, attempt=attempt, error=error)

    def run_until(self, stop: threading.Event) -> None:
        watcher = threading.Thread(target=lambda: (stop.wait(), setattr(self, "should_stop", True)), daemon=True)
        watcher.start()
        try:
            self.run()
        finally:
            for conn in (self.connection, self._producer_conn):
                try:
                    conn.release()
                except Exception:  # noqa: BLE001
                    pass
