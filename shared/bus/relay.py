"""Outbox relay: publishes pending outbox events with publisher confirms, then marks them published.

Pending events are read in batches, published persistent + mandatory with their confirms pipelined
(one round trip per batch, not per event), and marked in one bulk write. A crash anywhere leaves
them pending: they are published again (consumers are idempotent on the event id). The relay is
woken by `atomic` in-process and by a change stream on the outbox from other processes; a slow poll
is only the fallback. One relay per service database holds a lease, so scaled workers don't race.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import time
import uuid

import amqp
from kombu import Producer
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared.bus.connection import connect, events_exchange, is_memory
from shared.bus.envelope import CONTENT_TYPE
from shared.bus.outbox import OUTBOX, PENDING, PUBLISHED, pending_count, wakeup_event
from shared.logs import log
from shared.metrics import EVENTS_PUBLISHED, EVENTS_UNROUTABLE, OUTBOX_PENDING

logger = logging.getLogger("maillage.relay")
LEASE_SECONDS = 15


class PublishError(Exception):
    pass


class OutboxRelay:
    def __init__(self, db: Database, service: str, settings):
        self.db = db
        self.service = service
        self.settings = settings
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wakeup = wakeup_event(db)
        self._connection = None
        self._gauge_at = 0.0

    # --- one pass -------------------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish everything pending now; returns how many events went out."""
        total = 0
        while True:
            batch = list(self.db[OUTBOX].find({"status": PENDING}).sort("seq", 1)
                         .limit(self.settings.outbox_batch_size))
            if not batch:
                break
            returned = self._publish(batch)
            self._mark(batch, returned)
            total += len(batch)
            if len(batch) < self.settings.outbox_batch_size:
                break
        self._update_gauge()
        return total

    def _update_gauge(self) -> None:
        # Counting costs a query: refresh the backlog gauge at most every few seconds, not every pass.
        if time.monotonic() - self._gauge_at > 5:
            OUTBOX_PENDING.labels(self.service).set(pending_count(self.db))
            self._gauge_at = time.monotonic()

    def _mark(self, batch: list[dict], returned: set[str]) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        ids = [doc["_id"] for doc in batch]
        self.db[OUTBOX].update_many({"_id": {"$in": ids}},
                                    {"$set": {"status": PUBLISHED, "published_at": now}, "$inc": {"attempts": 1}})
        if returned:
            self.db[OUTBOX].update_many({"_id": {"$in": list(returned)}}, {"$set": {"unroutable": True}})
        for doc in batch:
            EVENTS_PUBLISHED.labels(self.service, doc["envelope"]["type"]).inc()
            if doc["_id"] in returned:
                EVENTS_UNROUTABLE.labels(self.service, doc["envelope"]["type"]).inc()

    def _conn(self):
        if self._connection is None:
            self._connection = connect(self.settings, confirms=False)
            self._connection.ensure_connection(max_retries=1, timeout=5)
            events_exchange(self.settings)(self._connection.default_channel).declare()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
            self._connection = None

    def _publish(self, batch: list[dict]) -> set[str]:
        try:
            conn = self._conn()
            if is_memory(self.settings.amqp_url):
                return self._publish_memory(conn, batch)
            return self._publish_confirmed(conn, batch)
        except Exception:
            self.close()
            raise

    def _publish_memory(self, conn, batch: list[dict]) -> set[str]:
        producer = Producer(conn.default_channel, exchange=events_exchange(self.settings))
        for doc in batch:
            env = doc["envelope"]
            producer.publish(json.dumps(env), routing_key=doc["routing_key"], content_type=CONTENT_TYPE,
                             content_encoding="utf-8", delivery_mode=2, message_id=env["id"],
                             correlation_id=env.get("correlationid"))
        return set()

    def _publish_confirmed(self, conn, batch: list[dict]) -> set[str]:
        channel = conn.channel()
        try:
            channel.confirm_select()
            acked: dict[int, bool] = {}
            returned: set[str] = set()

            def on_ack(tag, multiple):
                self._settle(acked, tag, multiple, True, len(batch))

            def on_nack(tag, multiple):
                self._settle(acked, tag, multiple, False, len(batch))

            def on_return(exc, exchange, routing_key, message):
                returned.add(message.properties.get("message_id"))

            channel.events["basic_ack"].add(on_ack)
            channel.events["basic_nack"].add(on_nack)
            channel.events["basic_return"].add(on_return)
            exchange = self.settings.exchange
            for doc in batch:
                env = doc["envelope"]
                message = amqp.Message(json.dumps(env), content_type=CONTENT_TYPE, content_encoding="utf-8",
                                       delivery_mode=2, message_id=env["id"],
                                       correlation_id=env.get("correlationid") or "")
                channel._basic_publish(message, exchange=exchange, routing_key=doc["routing_key"], mandatory=True)
            deadline = time.monotonic() + 30
            while len(acked) < len(batch):
                if time.monotonic() > deadline:
                    raise PublishError("broker did not confirm the batch in 30 s")
                conn.drain_events(timeout=1)
            if not all(acked.values()):
                raise PublishError("broker nacked part of the batch")
            return returned
        finally:
            try:
                channel.close()
            except Exception:  # noqa: BLE001
                pass

    @staticmethod
    def _settle(acked: dict[int, bool], tag: int, multiple: bool, ok: bool, size: int) -> None:
        tags = range(1, tag + 1) if multiple else (tag,)
        for t in tags:
            if t <= size and t not in acked:
                acked[t] = ok

    # --- leadership ---------------------------------------------------------------------------
    def hold_lease(self) -> bool:
        now = dt.datetime.now(dt.timezone.utc)
        try:
            doc = self.db.relay_lease.find_one_and_update(
                {"_id": "outbox", "$or": [{"owner": self.owner}, {"expires_at": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "expires_at": now + dt.timedelta(seconds=LEASE_SECONDS)}},
                upsert=True, return_document=ReturnDocument.AFTER,
            )
            return doc is not None and doc["owner"] == self.owner
        except DuplicateKeyError:
            return False

    # --- the loop -----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        watcher = threading.Thread(target=self._watch_commits, args=(stop,), daemon=True,
                                   name=f"outbox-watch-{self.service}")
        watcher.start()
        backoff = 0.5
        while not stop.is_set():
            self.wakeup.wait(self.settings.outbox_poll_seconds)
            self.wakeup.clear()
            try:
                if self.hold_lease():
                    self.publish_pending()
                backoff = 0.5
            except Exception as exc:  # noqa: BLE001 - broker/db outage: events stay pending
                log(logger, logging.WARNING, "outbox relay pass failed; retrying", service=self.service,
                    error=repr(exc), retry_in=backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 30)
                self.wakeup.set()
        self.close()

    def _watch_commits(self, stop: threading.Event) -> None:
        """Wake the relay when another process (an api) commits to the outbox."""
        while not stop.is_set():
            try:
                with self.db[OUTBOX].watch([{"$match": {"operationType": "insert"}}],
                                          max_await_time_ms=1000) as stream:
                    while not stop.is_set() and stream.alive:
                        if stream.try_next() is not None:
                            self.wakeup.set()
            except PyMongoError as exc:
                log(logger, logging.INFO, "outbox change stream unavailable; polling", error=repr(exc))
                stop.wait(5)
