"""Outbox relay: publishes pending outbox events with publisher confirms, then marks them published.

Pending events are read in batches, published persistent + mandatory with their confirms pipelined
(one round trip per batch, not per event), and marked in one bulk write, only where still pending.
A crash anywhere leaves them pending: they are published again (consumers are idempotent on the id).

Before the first publish on every connection the relay declares the whole platform's topology
(every subscriber queue and its bindings), so an event is never published to a broker where the
queue of a service that subscribes to it does not exist yet; a message the broker returns while a
subscriber is known stays pending.

Usually the committing process has published its rows itself (`shared.bus.publisher`, through
`publish_committed`): the relay then sweeps, on its poll, the rows pending for longer than
`SWEEP_GRACE_SECONDS` (a broker away, a process killed before it published). With
OUTBOX_PUBLISH_ON_COMMIT=false it publishes everything, woken by `atomic` right after a commit:
in-process, or by a poke through the broker from another process (`shared.bus.wake`).

One relay per service database holds a lease, renewed between batches and released on stop, so scaled
workers don't publish the same backlog twice.
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
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared import clock
from shared.bus.backoff import Backoff
from shared.bus import memory
from shared.bus.connection import connect, drop, events_exchange
from shared.bus.consumer import topic_matches
from shared.bus.envelope import CONTENT_TYPE
from shared.bus.outbox import OUTBOX, PENDING, PUBLISHED, pending_count, wakeup_event
from shared.bus.publisher import SWEEP_GRACE_SECONDS
from shared.bus.topology import Topology, declare_all
from shared.bus.wake import RelayWakeups
from shared.logs import log
from shared.metrics import EVENTS_PUBLISHED, EVENTS_UNROUTABLE, OUTBOX_PENDING, RELAY_LEADER

logger = logging.getLogger("maillage.relay")
LEASE_SECONDS = 15
CONFIRM_DEADLINE_SECONDS = 30
# A connection left idle longer than this may have been closed by the broker (missed heartbeats).
IDLE_RECONNECT_SECONDS = 20
# Pending events are read by windows of `seq` (a commit timestamp): the index then hands out only
# the window's entries, whatever the backlog (a plain sort would read every pending event first).
# Events of a transaction still open can commit up to SLACK seconds "in the past"; anything older
# that was missed (a skewed clock) is caught by a sweep below the window every SWEEP seconds.
SLACK_SECONDS = 30.0
# A wake-up this soon after a pass that published something finds the relay busy: it lingers a little.
BUSY_WINDOW_SECONDS = 0.02
BUSY_LINGER_SECONDS = 0.003
SWEEP_SECONDS = 30.0
MIN_SPAN, MAX_SPAN = 1e-3, 24 * 3600.0
OUTBOX_ORDER = [("status", 1), ("seq", 1)]


def publishes_on_commit(settings) -> bool:
    """Do committing processes publish their own rows? (Not on the in-memory broker, which lives in one
    process: there the relay publishes everything.)"""
    return settings.outbox_publish_on_commit and not memory.is_memory(settings.amqp_url)


class PublishError(Exception):
    pass


class LeaseLost(Exception):
    pass


class OutboxRelay:
    def __init__(self, db: Database, service: str, settings, topologies: list[Topology] | None = None):
        self.db = db
        self.service = service
        self.settings = settings
        self.topologies = topologies or []
        self.subscribed_keys = [b.routing_key for t in self.topologies for b in t.queue.bindings]
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wakeup = wakeup_event(db)
        # Rows younger than this are their committing process's to publish (see shared.bus.publisher).
        self.grace = SWEEP_GRACE_SECONDS if publishes_on_commit(settings) else 0.0
        self.state = "starting"
        self.last_error: str | None = None
        self._connection = None
        self._channel = None  # the confirm channel, kept open across batches
        self._published = 0   # messages published on it: the delivery tag of the last one
        self._first = 1       # the delivery tag of the current batch's first message
        self._acked: dict[int, bool] = {}
        self._returned: set[str] = set()
        self._used_at = 0.0
        self._gauge_at = 0.0
        self._lease_until = 0.0  # monotonic: when our lease runs out, as far as we know
        self._floor: float | None = None
        self._span = 1.0
        self._swept_at = 0.0

    # --- one pass -------------------------------------------------------------------------
    def publish_pending(self, *, leased: bool = False) -> int:
        """Publish everything pending now; returns how many events went out. `leased` (the worker's
        loop): only while this relay holds the lease, checked before every batch."""
        total = 0
        more = True
        while more:
            if leased:
                if not self.hold_lease():
                    raise LeaseLost("another relay holds the lease")
                self.state = "leader"  # as soon as it may publish, not once the backlog is drained
            batch, more = self._next_batch()
            if not batch:
                break
            returned = self._publish_with_reconnect(batch)
            self._mark(batch, returned)
            total += len(batch)
        self._update_gauge()
        return total

    def publish_committed(self, batch: list[dict]) -> set[str]:
        """Publish rows a transaction of this process just committed (the publisher's call: no lease, the
        committing process publishes only its own rows); returns the ids the broker returned, for
        `mark_committed`."""
        return self._publish_with_reconnect(batch)

    def mark_committed(self, rows: list[dict], returned: set[str]) -> None:
        self._mark(rows, returned)

    def _find(self, query: dict) -> list[dict]:
        # No hint: on the embedded store a hinted query costs in proportion to the whole collection.
        return list(self.db[OUTBOX].find(query).sort(OUTBOX_ORDER).limit(self.settings.outbox_batch_size))

    def _next_batch(self) -> tuple[list[dict], bool]:
        """The oldest pending events (by `seq`) and whether more may be pending right now."""
        size = self.settings.outbox_batch_size
        until = time.time() - self.grace
        if self._floor is None or time.monotonic() - self._swept_at > SWEEP_SECONDS:
            below = {"status": PENDING, "seq": {"$lt": until if self._floor is None else min(self._floor, until)}}
            batch = self._find(below)
            if len(batch) < size:
                self._swept_at = time.monotonic()
            if self._floor is None:
                self._floor = batch[0]["seq"] if batch else time.time() - SLACK_SECONDS
            if batch:
                return batch, True
        horizon = until + 1  # other hosts' clocks may run a little ahead
        while True:
            low, high = self._floor, self._floor + self._span
            batch = self._find({"status": PENDING, "seq": {"$gte": low, "$lt": min(high, until) if self.grace else high}})
            if len(batch) == size:
                self._span = max(self._span / 2, MIN_SPAN)
                self._floor = batch[-1]["seq"]
                return batch, True
            # The window held fewer than a batch: all of its pending events are in `batch`.
            self._floor = max(low, min(high, time.time() - SLACK_SECONDS))
            self._span = min(self._span * 2, MAX_SPAN)
            if high >= horizon:
                # The next pass starts SLACK seconds back: late commits of the last moments land there
                # (only pending entries are in that index range: it stays cheap).
                self._floor = min(self._floor, time.time() - SLACK_SECONDS)
                return batch, False
            if batch:
                return batch, True

    def _update_gauge(self) -> None:
        # Counting costs a query: refresh the backlog gauge at most every few seconds, not every pass.
        if time.monotonic() - self._gauge_at > 5:
            OUTBOX_PENDING.labels(self.service).set(pending_count(self.db))
            self._gauge_at = time.monotonic()

    def _mark(self, batch: list[dict], returned: set[str]) -> None:
        now = clock.wall_now()
        lost = {i for i in returned if self._has_subscriber(self._routing_key(batch, i))}
        ids = [doc["_id"] for doc in batch if doc["_id"] not in lost]
        if lost:
            # A subscriber's queue is missing (deleted, or a broker wiped meanwhile): declare again,
            # keep these pending, publish them on the next pass.
            log(logger, logging.WARNING, "broker returned events a subscriber needs; redeclaring",
                service=self.service, count=len(lost))
            self.close()
            self.wakeup.set()
        # Counted only where still pending: a relay that lost its lease must not count another's work
        # twice. The filter is the `_id` alone (an indexed lookup; with `status` beside it the embedded
        # store scans the whole outbox), the condition is in the update.
        pending = {"$eq": ["$status", PENDING]}
        self.db[OUTBOX].update_many({"_id": {"$in": ids}}, [{"$set": {
            "status": PUBLISHED, "published_at": {"$cond": [pending, now, "$published_at"]},
            "attempts": {"$cond": [pending, {"$add": [{"$ifNull": ["$attempts", 0]}, 1]}, "$attempts"]}}}])
        unroutable = returned - lost
        if unroutable:
            self.db[OUTBOX].update_many({"_id": {"$in": list(unroutable)}}, {"$set": {"unroutable": True}})
        for doc in batch:
            if doc["_id"] in lost:
                continue
            EVENTS_PUBLISHED.labels(self.service, doc["envelope"]["type"]).inc()
            if doc["_id"] in unroutable:
                EVENTS_UNROUTABLE.labels(self.service, doc["envelope"]["type"]).inc()

    @staticmethod
    def _routing_key(batch: list[dict], event_id: str) -> str:
        return next((d["routing_key"] for d in batch if d["_id"] == event_id), "")

    def _has_subscriber(self, routing_key: str) -> bool:
        return any(topic_matches(pattern, routing_key) for pattern in self.subscribed_keys)

    # --- the broker ---------------------------------------------------------------------------
    def _conn(self):
        if self._connection is not None and time.monotonic() - self._used_at > IDLE_RECONNECT_SECONDS:
            self.close(graceful=True)  # the broker may have dropped it for missed heartbeats while we were idle
        if self._connection is None:
            conn = connect(self.settings, confirms=False)
            try:
                conn.ensure_connection(max_retries=1, timeout=5)
                events_exchange(self.settings)(conn.default_channel).declare()
                declare_all(conn, self.topologies)
            except Exception:
                drop(conn, graceful=False)
                raise
            self._connection = conn
        self._used_at = time.monotonic()
        return self._connection

    def close(self, *, graceful: bool = False) -> None:
        self._channel = None
        if self._connection is not None:
            drop(self._connection, graceful=graceful)
            self._connection = None

    def _publish_with_reconnect(self, batch: list[dict]) -> set[str]:
        """A stale connection gets one immediate retry on a fresh one before the pass fails."""
        try:
            return self._publish(batch)
        except PublishError:
            raise
        except Exception as exc:  # noqa: BLE001 - connection-level: try once more, now
            log(logger, logging.INFO, "relay reconnecting", service=self.service, error=repr(exc))
            return self._publish(batch)

    def _publish(self, batch: list[dict]) -> set[str]:
        try:
            conn = self._conn()
            if memory.is_memory(self.settings.amqp_url):
                return memory.publish_batch(conn, events_exchange(self.settings), batch)
            return self._publish_confirmed(conn, batch)
        except Exception:
            self.close()
            raise

    def _confirm_channel(self, conn):
        """One channel in confirm mode per connection (opening one per batch cost three round trips)."""
        if self._channel is None:
            channel = conn.channel()
            channel.confirm_select()
            channel.events["basic_ack"].add(lambda tag, multiple: self._settle(tag, multiple, True))
            channel.events["basic_nack"].add(lambda tag, multiple: self._settle(tag, multiple, False))
            channel.events["basic_return"].add(
                lambda exc, exchange, routing_key, message: self._returned.add(message.properties.get("message_id")))
            self._channel, self._published = channel, 0
        return self._channel

    def _publish_confirmed(self, conn, batch: list[dict]) -> set[str]:
        channel = self._confirm_channel(conn)
        first = self._first = self._published + 1
        self._acked, self._returned = {}, set()
        exchange = self.settings.exchange
        for doc in batch:
            env = doc["envelope"]
            message = amqp.Message(json.dumps(env), content_type=CONTENT_TYPE, content_encoding="utf-8",
                                   delivery_mode=2, message_id=env["id"],
                                   correlation_id=env.get("correlationid") or "")
            # Confirms are pipelined: on this connection (no confirm_publish) basic_publish does not wait
            # for each one; the acks are drained below, one round trip per batch.
            channel.basic_publish(message, exchange=exchange, routing_key=doc["routing_key"], mandatory=True)
            self._published += 1
        wanted = range(first, self._published + 1)
        deadline = time.monotonic() + CONFIRM_DEADLINE_SECONDS
        while not all(tag in self._acked for tag in wanted):
            if time.monotonic() > deadline:
                raise PublishError(f"broker did not confirm the batch in {CONFIRM_DEADLINE_SECONDS} s")
            try:
                conn.drain_events(timeout=1)
            except socket.timeout:
                conn.heartbeat_check()
        if not all(self._acked[tag] for tag in wanted):
            raise PublishError("broker nacked part of the batch")
        return self._returned

    def _settle(self, tag: int, multiple: bool, ok: bool) -> None:
        # Every earlier batch was settled before this one went out: `multiple` covers this batch only.
        for t in range(self._first, tag + 1) if multiple else (tag,):
            self._acked.setdefault(t, ok)

    # --- leadership ---------------------------------------------------------------------------
    def hold_lease(self) -> bool:
        """True while this relay may publish. Renewed in the store only once half of it has run out."""
        if time.monotonic() < self._lease_until - LEASE_SECONDS / 2:
            return True
        asked_at = time.monotonic()
        now = clock.wall_now()
        try:
            doc = self.db.relay_lease.find_one_and_update(
                {"_id": "outbox", "$or": [{"owner": self.owner}, {"expires_at": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "expires_at": now + dt.timedelta(seconds=LEASE_SECONDS)}},
                upsert=True, return_document=ReturnDocument.AFTER,
            )
            held = doc is not None and doc["owner"] == self.owner
        except DuplicateKeyError:
            held = False
        self._lease_until = asked_at + LEASE_SECONDS if held else 0.0
        self.state = "leader" if held else "standby"
        RELAY_LEADER.labels(self.service).set(1 if held else 0)
        return held

    def release_lease(self) -> None:
        """On stop: the next relay (a rolling restart's new pod) takes over at once, not in 15 s."""
        self._lease_until = 0.0
        RELAY_LEADER.labels(self.service).set(0)
        try:
            self.db.relay_lease.update_one({"_id": "outbox", "owner": self.owner},
                                           {"$set": {"expires_at": dt.datetime.fromtimestamp(0, dt.timezone.utc)}})
        except PyMongoError:
            pass  # the store is down: the lease simply expires

    # --- the loop -----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        with RelayWakeups(self.db, self.settings, self.owner) as wakeups:
            listener = threading.Thread(target=wakeups.listen, args=(stop, self.wakeup), daemon=True,
                                        name=f"outbox-wake-{self.service}")
            listener.start()
            self._loop(stop)

    def _loop(self, stop: threading.Event) -> None:
        backoff = Backoff(initial=0.2, cap=5.0)
        self.wakeup.set()  # a first pass at once: whatever was left pending by the previous run
        busy_until = 0.0
        while not stop.is_set():
            self.wakeup.wait(self.settings.outbox_poll_seconds)
            if time.monotonic() < busy_until:
                # Commits keep coming: let a few more land, then publish them in one batch (a find, a
                # mark and a confirm for several events instead of each). An isolated commit goes at once.
                stop.wait(BUSY_LINGER_SECONDS)
            self.wakeup.clear()
            if stop.is_set():
                break
            try:
                if self.publish_pending(leased=True):
                    busy_until = time.monotonic() + BUSY_WINDOW_SECONDS
                self.last_error = None
                backoff.reset()
            except LeaseLost:
                pass  # standby: another relay publishes
            except Exception as exc:  # noqa: BLE001 - broker/db outage: events stay pending
                self.state, self.last_error = "retrying", repr(exc)[:300]
                wait = backoff.next()
                log(logger, logging.WARNING, "outbox relay pass failed; retrying", service=self.service,
                    error=repr(exc), retry_in=round(wait, 2))
                stop.wait(wait)
                self.wakeup.set()
        self.release_lease()
        self.close(graceful=True)
        self.state = "stopped"
