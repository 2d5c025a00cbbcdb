"""Waking the outbox relay right after a commit, without taxing the store.

In the relay's own process (`make dev`, a worker whose consumers emit) a commit sets a
`threading.Event` the relay waits on. From another process (an api under gunicorn) the commit pokes
the relay through the broker: a tiny transient message on `<exchange>.outbox-wake`, routed by the
service database's name to every relay of that database, each listening on a queue of its own that
keeps at most one message. A poke is only a hint: a lost one (broker down, relay reconnecting) costs
the relay's slow poll, never an event. Pokes are sent by one thread per process, coalesced, so a
burst of commits sends a few messages and no request ever waits on the broker.

(A change stream on the outbox did this before; on the embedded store an open change stream made
every write on the server dearer and cost a getMore per write.)
"""
from __future__ import annotations

import atexit
import logging
import threading
import time

from kombu import Consumer, Exchange, Queue
from pymongo.database import Database

from shared.bus.backoff import Backoff
from shared.bus.connection import connect, drop
from shared.bus.memory import is_memory
from shared.logs import log

logger = logging.getLogger("maillage.wake")

_lock = threading.Lock()
_events: dict[str, threading.Event] = {}
_local_relays: dict[str, int] = {}  # database key -> relays running in this process
_settings: dict[str, object] = {}   # database key -> settings it was opened with (its broker)
_pokers: dict[str, "_Poker"] = {}   # broker URL + exchange -> the thread sending pokes there


def database_key(db: Database) -> str:
    return f"{id(db.client)}:{db.name}"


def wakeup_event(db: Database) -> threading.Event:
    """The in-process signal a relay of this database waits on."""
    with _lock:
        return _events.setdefault(database_key(db), threading.Event())


def known_database(db: Database, settings) -> None:
    """Say which broker a database's relays listen on (the runtime does, for every service database)."""
    with _lock:
        _settings.setdefault(database_key(db), settings)


def wake_exchange(settings) -> Exchange:
    return Exchange(f"{settings.exchange}.outbox-wake", type="direct", durable=False, auto_delete=False)


def after_commit(db: Database) -> None:
    """A transaction that wrote outbox rows committed: wake a relay of its database."""
    key = database_key(db)
    event = wakeup_event(db)
    event.set()
    with _lock:
        if _local_relays.get(key):
            return
        settings = _settings.get(key)
    if settings is None or is_memory(settings.amqp_url):
        return  # no broker known (or the in-memory one, which lives in this process): the poll catches up
    _poker(settings).poke(db.name)


def stop_poking(settings, timeout: float = 1.0) -> None:
    """Send what is pending, then end this process's poker thread for that broker and exchange (a test's
    teardown, before it deletes the test's exchanges: a late poke would declare the wake exchange again)."""
    with _lock:
        poker = _pokers.pop(_poker_key(settings), None)
    if poker is not None:
        poker.stop(timeout)


def _poker_key(settings) -> str:
    return f"{settings.amqp_url}|{settings.exchange}"


def _poker(settings) -> "_Poker":
    with _lock:
        name = _poker_key(settings)
        poker = _pokers.get(name)
        if poker is None or not poker.thread.is_alive():
            poker = _pokers[name] = _Poker(settings)
        return poker


class _Poker:
    def __init__(self, settings):
        self.settings = settings
        self.pending: set[str] = set()
        self.sending = False
        self.stopped = False
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"outbox-wake-poker {settings.exchange}")
        self.thread.start()
        atexit.register(self.flush)  # a short-lived process (a CLI) still wakes the relay of its last commit

    def flush(self, timeout: float = 1.0) -> None:
        deadline = time.monotonic() + timeout
        with self.ready:
            while (self.pending or self.sending) and time.monotonic() < deadline:
                self.ready.wait(0.05)

    def stop(self, timeout: float = 1.0) -> None:
        """Send what is pending (within `timeout`), then end the thread: it sends nothing more."""
        self.flush(timeout)
        with self.ready:
            self.stopped = True
            self.ready.notify_all()
        self.thread.join(0.2)  # a thread sleeping out a back-off ends on its own, at its next turn

    def poke(self, routing_key: str) -> None:
        with self.ready:
            self.pending.add(routing_key)
            self.ready.notify_all()

    def _take(self) -> set[str] | None:
        """The keys to poke next (None once stopped)."""
        with self.ready:
            self.sending = False
            self.ready.notify_all()
            while not self.pending and not self.stopped:
                self.ready.wait()
            if self.stopped:
                return None
            keys, self.pending, self.sending = self.pending, set(), True
            return keys

    def _run(self) -> None:
        conn = producer = None
        backoff = Backoff(initial=0.5, cap=5.0)
        while True:
            keys = self._take()
            if keys is None:
                if conn is not None:
                    drop(conn, graceful=True)
                return
            try:
                if conn is None:
                    conn = connect(self.settings, confirms=False)
                    conn.ensure_connection(max_retries=1, timeout=2)
                    producer = conn.Producer(exchange=wake_exchange(self.settings))
                    wake_exchange(self.settings)(conn.default_channel).declare()
                for key in keys:
                    producer.publish(b"", routing_key=key, delivery_mode=1, expiration=10)
                backoff.reset()
            except Exception as exc:  # noqa: BLE001 - only a hint: the relay's poll catches up
                log(logger, logging.DEBUG, "outbox wake not sent", error=repr(exc))
                if conn is not None:
                    drop(conn, graceful=False)
                conn = producer = None
                with self.ready:
                    self.pending.clear()  # dropped, not queued: a broker away must not hold up exit
                    self.sending = False
                    self.ready.notify_all()
                time.sleep(backoff.next())


class RelayWakeups:
    """What a running relay registers: it is local to this process's commits, and it listens to the
    broker's pokes for the others'."""

    def __init__(self, db: Database, settings, owner: str):
        self.db = db
        self.settings = settings
        self.owner = owner
        self.event = wakeup_event(db)

    def __enter__(self) -> "RelayWakeups":
        with _lock:
            key = database_key(self.db)
            _local_relays[key] = _local_relays.get(key, 0) + 1
        return self

    def __exit__(self, *exc) -> None:
        with _lock:
            key = database_key(self.db)
            _local_relays[key] = max(0, _local_relays.get(key, 0) - 1)

    def listen(self, stop: threading.Event, event: threading.Event) -> None:
        """Set `event` on every poke for this database, reconnecting whenever the broker goes away."""
        if is_memory(self.settings.amqp_url):
            return
        backoff = Backoff(initial=0.5, cap=5.0)
        queue = Queue(f"{self.settings.queue_prefix}outbox-wake.{self.db.name}.{self.owner}",
                      wake_exchange(self.settings), routing_key=self.db.name, durable=False, exclusive=True,
                      auto_delete=True, queue_arguments={"x-max-length": 1, "x-overflow": "drop-head"})
        while not stop.is_set():
            conn = connect(self.settings, confirms=False)
            try:
                conn.ensure_connection(max_retries=1, timeout=5)
                wake_exchange(self.settings)(conn.default_channel).declare()
                with Consumer(conn.channel(), queues=[queue], no_ack=True, accept=None,
                              on_message=lambda message: event.set()):
                    event.set()  # pokes sent while we were not listening are lost: look once now
                    backoff.reset()
                    while not stop.is_set():
                        try:
                            conn.drain_events(timeout=1)
                        except TimeoutError:
                            conn.heartbeat_check()
            except Exception as exc:  # noqa: BLE001 - broker away: the poll carries on meanwhile
                log(logger, logging.DEBUG, "outbox wake listener reconnecting", error=repr(exc))
                stop.wait(backoff.next())
            finally:
                drop(conn, graceful=stop.is_set())
