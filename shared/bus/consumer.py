"""Consumer runner: one durable queue per (service, purpose); manual ack after the handler's writes
are committed; idempotent on the event id; failures retried through TTL queues with growing delays,
then parked in `<queue>.dlq`. Never ack-and-drop.

A handler is `fn(event: dict, tx: Tx)`: it writes with `tx.session` (and may `tx.emit`), and its
writes commit together with the record that this consumer processed the event. A handler marked
`shared.projection.single_upsert` (one conditional upsert of a projection, idempotent by its sequence)
runs without either: its write, durable, is all there is to redo or skip. What one drain of the
broker delivered (up to the prefetch window) is handled in one transaction and acked together; if that
transaction fails, each event is handled alone, so a failure is retried or parked for that event only.
(A handler may run more than once before a commit, as in any retried transaction: no side effect
outside `tx`.)

The consume loop is supervised: whatever breaks on the broker's side (connect, declare, consume,
ack, republish) closes the connection, waits a little and starts over; unacked messages are simply
redelivered, which idempotency makes safe. Only a handler's own exception counts as a failed attempt:
a store that is down or a document held by another transaction makes the message wait, uncounted.
"""
from __future__ import annotations

import json
import logging
import socket
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

import pymongo
from kombu import Consumer, Producer
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared import clock
from shared.bus.backoff import Backoff
from shared.bus import memory
from shared.bus.connection import connect, drop
from shared.bus.envelope import CONTENT_TYPE, routing_key_of, validate_envelope
from shared.bus.outbox import Tx, atomic
from shared.bus.topology import DEFAULT_EXCHANGE, Topology, consumer_topology, declare, queue_name
from shared.logs import correlation_id_var, log
from shared.metrics import CONSUMERS_CONNECTED, EVENTS_CONSUMED, EVENTS_DEFERRED, EVENTS_FAILED
from shared.mongo import DURABLE, Index, StoreUnavailable, ping, store_unavailable, write_contended
from shared.projection import is_single_upsert

logger = logging.getLogger("maillage.consumer")

PROCESSED = "processed_events"
PROCESSED_INDEXES = [Index(PROCESSED, "at", {"expireAfterSeconds": 30 * 24 * 3600})]
ATTEMPT_HEADER = "x-maillage-attempt"
# A handler's transaction gives up after this long (a killed worker's orphaned transaction can hold
# its documents for a minute): the message then waits in the first retry queue, uncounted.
HANDLER_TIMEOUT_SECONDS = 3.0
# A consumer whose loop has not turned for this long is stuck (health reports it).
STUCK_AFTER_SECONDS = 120.0

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


def handle_envelope(db: Database, subscription: Subscription, queue: str, envelope: dict,
                    timeout: float = HANDLER_TIMEOUT_SECONDS) -> str:
    """Run the handler once per (queue, event id). Returns handled | duplicate | ignored."""
    handler = subscription.handler_for(routing_key_of(envelope["type"]))
    if handler is None:
        return "ignored"
    if is_single_upsert(handler):
        changed = _apply_alone(db, subscription, [(envelope, handler)], timeout)
        return "handled" if changed else "duplicate"  # nothing changed: seen already (or older)
    key = f"{queue}:{envelope['id']}"
    # No read first: the processed record is the transaction's first write, and its unique key turns
    # a redelivery into a DuplicateKeyError at once (one store round trip fewer per event).

    def work(tx: Tx) -> None:
        tx.db[PROCESSED].insert_one({"_id": key, "type": envelope["type"], "at": clock.wall_now()},
                                    session=tx.session)
        handler(envelope, tx)

    token = correlation_id_var.set(envelope.get("correlationid"))
    try:
        atomic(db, subscription.service, work, timeout=timeout)
        return "handled"
    except DuplicateKeyError as exc:
        if PROCESSED in str(exc):
            return "duplicate"
        raise
    finally:
        correlation_id_var.reset(token)


def handle_batch(db: Database, subscription: Subscription, queue: str, envelopes: list[dict],
                 timeout: float = HANDLER_TIMEOUT_SECONDS) -> list[str]:
    """Several events of one queue in one transaction: their processed records (one insert), then each
    handler in delivery order (or, when every handler is a `single_upsert`, their upserts alone, in one
    bulk write). Returns handled | ignored per event. Any error (a redelivery's duplicate record, a failing
    handler) aborts it all: the caller then handles the events one by one."""
    routed = [(envelope, subscription.handler_for(routing_key_of(envelope["type"]))) for envelope in envelopes]
    todo = [(envelope, handler) for envelope, handler in routed if handler is not None]
    if todo and all(is_single_upsert(handler) for _, handler in todo):
        _apply_alone(db, subscription, todo, timeout)
        return ["ignored" if handler is None else "handled" for _, handler in routed]

    def work(tx: Tx) -> None:
        at = clock.wall_now()
        tx.db[PROCESSED].insert_many([{"_id": f"{queue}:{e['id']}", "type": e["type"], "at": at} for e, _ in todo],
                                     session=tx.session)
        _run_handlers(todo, tx)

    if todo:
        atomic(db, subscription.service, work, timeout=timeout)
    return ["ignored" if handler is None else "handled" for _, handler in routed]


def _apply_alone(db: Database, subscription: Subscription, todo: list[tuple[dict, Handler]], timeout: float) -> int:
    """Handlers marked `shared.projection.single_upsert`, without a transaction or processed records: their
    conditional upserts, sent together (one round trip per collection), durable before the caller acks.
    Returns how many documents changed."""
    tx = Tx(db.with_options(write_concern=DURABLE), None, subscription.service)
    with pymongo.timeout(timeout):
        _run_handlers(todo, tx)
        if tx.envelopes:
            raise RuntimeError(f"a single-upsert handler may not emit events (it emitted {tx.envelopes[0]['type']})")
        return tx.flush()


def _run_handlers(todo: list[tuple[dict, Handler]], tx: Tx) -> None:
    """Each handler in delivery order, under its event's correlation id."""
    for envelope, handler in todo:
        token = correlation_id_var.set(envelope.get("correlationid"))
        try:
            handler(envelope, tx)
        finally:
            correlation_id_var.reset(token)


@dataclass
class ConsumerStatus:
    """What health endpoints and `worker-health` say about one consumer thread."""
    queue: str
    index: int
    state: str = "starting"  # starting | connecting | consuming | reconnecting | waiting_for_store | stopped
    since: float = field(default_factory=time.time)
    last_turn: float = field(default_factory=time.monotonic)
    last_error: str | None = None
    reconnects: int = 0

    @property
    def stuck(self) -> bool:
        return self.state != "stopped" and time.monotonic() - self.last_turn > STUCK_AFTER_SECONDS

    def as_dict(self) -> dict:
        return {"queue": self.queue, "index": self.index, "state": self.state, "since": self.since,
                "seconds_since_last_turn": round(time.monotonic() - self.last_turn, 1), "stuck": self.stuck,
                "last_error": self.last_error, "reconnects": self.reconnects}


class QueueWorker:
    """Consumes one subscription's queue until `stop` is set, whatever happens to the broker or store."""

    def __init__(self, db: Database, settings, subscription: Subscription, index: int = 0):
        self.db = db
        self.settings = settings
        self.subscription = subscription
        self.name = queue_name(settings, subscription.service, subscription.purpose)
        self.topology: Topology = consumer_topology(settings, self.name, list(subscription.handlers))
        self.status = ConsumerStatus(self.name, index)
        self._producer: Producer | None = None
        self._connected = False
        self._inbox: list = []  # messages delivered by the last drain, handled together

    def declare(self) -> None:
        with connect(self.settings, confirms=False) as conn:
            declare(conn, self.topology)

    # --- the supervised loop --------------------------------------------------------------------
    def run_until(self, stop: threading.Event) -> None:
        backoff = Backoff(initial=0.2, cap=5.0)
        while not stop.is_set():
            try:
                self._consume(stop, backoff)
            except StoreUnavailable as exc:
                self._enter("waiting_for_store", exc)
                self._wait_for_store(stop, backoff)
            except Exception as exc:  # noqa: BLE001 - broker side of any kind: reconnect and resume
                self._enter("reconnecting", exc)
                self.status.reconnects += 1
                self._sleep(stop, backoff.next())
        self._enter("stopped")

    def _consume(self, stop: threading.Event, backoff: Backoff) -> None:
        self._enter("connecting")
        conn = connect(self.settings, confirms=False)
        producer_conn = connect(self.settings, confirms=True)
        graceful = False
        try:
            conn.ensure_connection(max_retries=1, timeout=5)
            if stop.is_set():  # stopped while connecting: declare nothing (the queues may be deleted by now)
                return
            declare(conn, self.topology)
            self._producer = Producer(producer_conn.default_channel, exchange=DEFAULT_EXCHANGE)
            self._inbox = []
            consumer = Consumer(conn.channel(), queues=[self.topology.queue], on_message=self._inbox_append,
                                prefetch_count=self.settings.worker_prefetch, accept=None)
            consumer.consume()
            self._enter("consuming")
            backoff.reset()
            while not stop.is_set():
                self.status.last_turn = time.monotonic()
                try:
                    conn.drain_events(timeout=1)
                    self._drain_delivered(conn)
                except socket.timeout:
                    conn.heartbeat_check()
                    continue
                self.handle_delivered()
            consumer.cancel()  # unacked messages go back to the queue when the channel closes
            graceful = True
        finally:
            self._set_connected(False)
            self._producer = None
            for c in (conn, producer_conn):
                drop(c, graceful=graceful)

    def _wait_for_store(self, stop: threading.Event, backoff: Backoff) -> None:
        while not stop.is_set():
            self.status.last_turn = time.monotonic()
            try:
                if ping(self.db):
                    return
            except Exception:  # noqa: BLE001 - still down
                pass
            self._sleep(stop, backoff.next())

    def _sleep(self, stop: threading.Event, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            self.status.last_turn = time.monotonic()
            stop.wait(min(1.0, deadline - time.monotonic()))

    def _enter(self, state: str, error: BaseException | None = None) -> None:
        if error is not None:
            self.status.last_error = f"{type(error).__name__}: {error}"[:300]
            log(logger, logging.WARNING, f"consumer {state}", queue=self.name, error=self.status.last_error)
        if state != self.status.state:
            self.status.state, self.status.since = state, time.time()
        self.status.last_turn = time.monotonic()
        self._set_connected(state == "consuming")

    def _set_connected(self, connected: bool) -> None:
        if connected != self._connected:
            CONSUMERS_CONNECTED.labels(self.name).inc(1 if connected else -1)
            self._connected = connected

    # --- what one drain delivered ------------------------------------------------------------------
    def _inbox_append(self, message) -> None:
        self._inbox.append(message)

    def _drain_delivered(self, conn) -> None:
        """Take in, without waiting, what the broker already sent (up to the prefetch window)."""
        while len(self._inbox) < max(1, self.settings.worker_prefetch):
            try:
                conn.drain_events(timeout=0)
            except socket.timeout:
                return

    def handle_delivered(self) -> None:
        """First attempts go together, in one transaction, acked together once it committed; a retried
        event goes alone, and so does each event of a batch that failed, so that a poison event alone
        is retried and parked. Broker errors raised here end the connection: unacked messages are
        redelivered."""
        messages, self._inbox = self._inbox, []
        firsts, others = [], []
        for message in messages:
            attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0)) + 1
            try:
                envelope = parse(message.body)
            except PoisonMessage as exc:
                self._park(message, attempt, str(exc))
                continue
            (firsts if attempt == 1 else others).append((message, attempt, envelope))
        if len(firsts) > 1 and self._handle_together(firsts):
            firsts = []
        for message, attempt, envelope in firsts + others:
            self._handle_one(message, attempt, envelope)

    def on_message(self, message) -> None:
        """One message on its own (what a drain of a single delivery comes to)."""
        self._inbox.append(message)
        self.handle_delivered()

    def _handle_together(self, batch: list[tuple]) -> bool:
        try:
            outcomes = handle_batch(self.db, self.subscription, self.name, [envelope for _, _, envelope in batch])
        except Exception as exc:  # noqa: BLE001 - one by one now, where every failure is sorted out
            if (store_unavailable(exc) or write_contended(exc)) and not self._store_answers():
                raise StoreUnavailable(str(exc)) from exc  # not acked: redelivered once it is back
            log(logger, logging.INFO, "batch not committed; handling its events one by one", queue=self.name,
                size=len(batch), error=repr(exc)[:200])
            return False
        for (message, _, _), outcome in zip(batch, outcomes):
            message.ack()
            EVENTS_CONSUMED.labels(self.name, outcome).inc()
        return True

    def _handle_one(self, message, attempt: int, envelope: dict) -> None:
        try:
            outcome = handle_envelope(self.db, self.subscription, self.name, envelope)
        except Exception as exc:  # noqa: BLE001 - sorted below: infrastructure waits, the rest counts
            if store_unavailable(exc) or write_contended(exc):
                # A transaction that ran out of time does not say whether the store is down or the
                # documents held by another transaction (pymongo labels both transient): ask the store.
                if not self._store_answers():
                    raise StoreUnavailable(str(exc)) from exc  # not acked: redelivered once it is back
                self._defer(message, attempt - 1, exc)
                return
            self._failed(message, attempt, exc)
            return
        message.ack()
        EVENTS_CONSUMED.labels(self.name, outcome).inc()

    def _store_answers(self) -> bool:
        try:
            with pymongo.timeout(1):
                return ping(self.db)
        except Exception:  # noqa: BLE001 - down
            return False

    def _failed(self, message, attempt: int, exc: Exception) -> None:
        EVENTS_FAILED.labels(self.name).inc()
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        log(logger, logging.WARNING, "handler failed", queue=self.name, attempt=attempt, error=error)
        if attempt > len(self.topology.retries):
            self._park(message, attempt, error)
        else:
            self._retry(message, attempt, error)

    def _defer(self, message, attempts_so_far: int, exc: Exception) -> None:
        """Held by another transaction (e.g. a killed worker's), or the store too busy to finish in time:
        wait in the first retry queue, uncounted, so that the rest of the queue flows meanwhile."""
        EVENTS_DEFERRED.labels(self.name).inc()
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempts_so_far}
        self._send_later(message, 0, headers)
        message.ack()
        log(logger, logging.INFO, "event deferred: its documents are held by another transaction",
            queue=self.name, error=repr(exc)[:200])

    def _republish(self, message, routing_key: str, headers: dict) -> None:
        properties = message.properties or {}
        self._producer.publish(message.body, routing_key=routing_key, headers=headers,
                               content_type=message.content_type or CONTENT_TYPE,
                               content_encoding=message.content_encoding or "utf-8", delivery_mode=2,
                               message_id=properties.get("message_id"),
                               correlation_id=properties.get("correlation_id"))

    def _send_later(self, message, retry_index: int, headers: dict) -> None:
        if memory.is_memory(self.settings.amqp_url):
            memory.later(self.settings.retry_delays[retry_index], self._republish, message, self.name, headers)
        else:
            self._republish(message, self.topology.retries[retry_index].name, headers)

    def _retry(self, message, attempt: int, error: str) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt, "x-maillage-last-error": error[:500]}
        self._send_later(message, attempt - 1, headers)
        message.ack()
        EVENTS_CONSUMED.labels(self.name, "retried").inc()

    def _park(self, message, attempt: int, error: str) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt, "x-maillage-error": error[:2000],
                   "x-maillage-queue": self.name,
                   "x-maillage-routing-key": (message.delivery_info or {}).get("routing_key", ""),
                   "x-maillage-failed-at": clock.wall_now().isoformat()}
        self._republish(message, self.topology.dlq.name, headers)
        message.ack()
        EVENTS_CONSUMED.labels(self.name, "dead_lettered").inc()
        log(logger, logging.ERROR, "message dead-lettered", queue=self.name, attempt=attempt, error=error)
