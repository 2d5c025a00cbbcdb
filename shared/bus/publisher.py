"""Publishing, from the process that committed them, the outbox rows a transaction just wrote.

With `OUTBOX_PUBLISH_ON_COMMIT` (the default) every process that commits (an api under gunicorn, a
worker whose consumers emit, a CLI) has one publisher thread per service database: `atomic` hands it
the rows right after the commit, and it publishes them with confirms and marks them published, as the
relay does (it is an `OutboxRelay` used on given rows: same topology, same returns, same marks). A
request never waits for it; under load the rows of several commits go out in one batch. Rows are
published at once but marked a little later (`MARK_AFTER_SECONDS`), several batches in one write: the
mark then neither delays the subscribers' transactions on the store nor costs a write per event.

Nothing here is needed for safety: the rows are committed before they are handed over. Whatever the
publisher could not publish (a broker away, a process killed before it published) stays pending, and
the worker's leased relay sweeps the rows pending for longer than `SWEEP_GRACE_SECONDS`. A row both
published here and swept (the mark did not land in time) goes out twice, which consumers absorb: they
are idempotent on the event id. Events of one process go out in commit order; across processes, two
commits on one aggregate a few milliseconds apart may be delivered in either order, as with any retry:
projections apply an event only if its `sequence` is newer.
"""
from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import TYPE_CHECKING, Callable

from pymongo.database import Database

from shared.bus import wake
from shared.bus.backoff import Backoff
from shared.logs import log

if TYPE_CHECKING:
    from shared.bus.relay import OutboxRelay

logger = logging.getLogger("maillage.publisher")

# The relay leaves to the committing processes the rows younger than this.
SWEEP_GRACE_SECONDS = 2.0
# Rows waiting to be published beyond this are left to the relay's sweep (a broker too slow).
MAX_WAITING_ROWS = 2000
# Published rows are marked at most this long after their publish (or once a batch of them waits).
MARK_AFTER_SECONDS = 0.05

_lock = threading.Lock()
_publishers: dict[str, "CommitPublisher"] = {}


def register(db: Database, make_relay: Callable[[], "OutboxRelay"]) -> None:
    """From now on, this process publishes the rows its transactions on `db` commit. `make_relay`: an
    `OutboxRelay` of that database (made on the first commit), used only on the rows handed to it."""
    with _lock:
        key = wake.database_key(db)
        if key not in _publishers:
            _publishers[key] = CommitPublisher(make_relay)


def after_commit(db: Database, rows: list[dict]) -> None:
    """A transaction on `db` committed these outbox rows: publish them now, or wake the relay."""
    with _lock:
        publisher = _publishers.get(wake.database_key(db))
    if publisher is None:
        wake.after_commit(db)
    else:
        publisher.hand(rows)


class CommitPublisher:
    def __init__(self, make_relay: Callable[[], "OutboxRelay"]):
        self.make_relay = make_relay
        self.relay: "OutboxRelay | None" = None
        self._rows: list[dict] = []
        self._unmarked: list[dict] = []  # published, not marked yet
        self._returned: set[str] = set()  # of those, what the broker returned
        self._sending = False
        self._down_until = 0.0
        self._ready = threading.Condition()
        self.thread: threading.Thread | None = None
        atexit.register(self.flush)  # a short-lived process (a CLI) publishes its last commits first

    def hand(self, rows: list[dict]) -> None:
        with self._ready:
            if self.thread is None or not self.thread.is_alive():  # the first commit, or a forked process
                self._sending = False
                self.thread = threading.Thread(target=self._run, daemon=True, name="outbox-publisher")
                self.thread.start()
            if time.monotonic() < self._down_until or len(self._rows) >= MAX_WAITING_ROWS:
                return  # the broker failed us a moment ago, or is too slow: the relay's sweep takes them
            self._rows.extend(rows)
            self._ready.notify_all()

    def flush(self, timeout: float = 2.0) -> None:
        """Wait until what was handed over is published (or given up), at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while (self._rows or self._sending or self._unmarked) and time.monotonic() < deadline:
                self._ready.wait(0.05)

    def _take(self, size: int, timeout: float | None) -> list[dict]:
        """Rows to publish: waits for some, at most `timeout` seconds (None: for ever)."""
        with self._ready:
            self._sending = False
            self._ready.notify_all()
            if not self._rows:
                self._ready.wait(timeout)
            batch, self._rows = self._rows[:size], self._rows[size:]
            self._sending = bool(batch)
            return batch

    def _run(self) -> None:
        backoff = Backoff(initial=0.5, cap=5.0)
        mark_at = None
        while True:
            size = self.relay.settings.outbox_batch_size if self.relay else 100
            batch = self._take(size, None if mark_at is None else max(0.0, mark_at - time.monotonic()))
            try:
                self.relay = self.relay or self.make_relay()
                if batch:
                    self._returned |= self.relay.publish_committed(batch)
                    self._unmarked += batch
                    mark_at = mark_at or time.monotonic() + MARK_AFTER_SECONDS
                if self._unmarked and (time.monotonic() >= mark_at or len(self._unmarked) >= size):
                    self.relay.mark_committed(self._unmarked, self._returned)
                    self._unmarked, self._returned, mark_at = [], set(), None
                backoff.reset()
            except Exception as exc:  # noqa: BLE001 - the rows stay pending: the relay sweeps them
                wait = backoff.next()
                log(logger, logging.WARNING, "events not published on commit; the relay will",
                    count=len(batch) + len(self._unmarked), error=repr(exc)[:300], retry_in=round(wait, 2))
                if self.relay is not None:
                    self.relay.close()
                with self._ready:
                    self._rows.clear()
                    self._unmarked, self._returned, mark_at = [], set(), None
                    self._down_until = time.monotonic() + wait
