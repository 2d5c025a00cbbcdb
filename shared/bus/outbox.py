"""Transactional outbox: a state change and the events it causes commit in one MongoDB transaction.

    def register(tx):
        tx.db.structures.insert_one(doc, session=tx.session)
        tx.emit(STRUCTURE_REGISTERED, subject=doc["_id"], data=doc, sequence=1, federation=fed)
        return doc

    atomic(db, "registry", register)

Right after the commit `atomic` hands the rows to this process's publisher (`shared.bus.publisher`),
which publishes them at once; the relay (`shared.bus.relay`) sweeps whatever stays pending. With
OUTBOX_PUBLISH_ON_COMMIT=false the commit wakes the relay instead (`shared.bus.wake`).
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, TypeVar

import pymongo
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern

from shared import clock
from shared.bus.catalog import EventType
from shared.bus.envelope import make_envelope
from shared.bus.publisher import after_commit
from shared.bus.wake import wakeup_event  # noqa: F401 - the relay's signal
from shared.logs import current_correlation_id
from shared.mongo import DURABLE, Index

OUTBOX = "outbox"
PENDING, PUBLISHED = "pending", "published"

OUTBOX_INDEXES = [
    Index(OUTBOX, [("status", 1), ("seq", 1)]),
    Index(OUTBOX, "published_at", {"expireAfterSeconds": 7 * 24 * 3600}),
]

T = TypeVar("T")
# A write never waits longer than this (store down, or documents held by another transaction): the
# caller gets an error it can turn into 503 instead of pymongo's two minutes of transaction retries.
WRITE_TIMEOUT_SECONDS = 5.0
ABANDONED_KILL_SECONDS = 1.0


class Tx:
    """What a use case gets inside a transaction: the database, the session, and `emit`."""

    def __init__(self, db: Database, session: ClientSession, source: str):
        self._db = db
        self.session = session
        self.source = source
        self.envelopes: list[dict] = []
        self.outbox_rows: list[dict] = []
        self._deferred: list[tuple[str, Any]] = []

    @property
    def db(self) -> Database:
        """The database. Writes put off with `defer` go out first, so that what is read through it sees
        them (keep no reference to it across a `defer`)."""
        if self._deferred:
            self.flush()
        return self._db

    def defer(self, collection: str, operation) -> None:
        """A write (a pymongo `UpdateOne`…) sent with the others at the latest before the commit: one
        round trip for what several handlers of a batch write to a collection."""
        self._deferred.append((collection, operation))

    def flush(self) -> int:
        """Send the deferred writes; returns how many documents they inserted or changed."""
        pending, self._deferred = self._deferred, []
        changed = 0
        for collection, group in itertools.groupby(pending, key=lambda item: item[0]):
            result = self._db[collection].bulk_write([operation for _, operation in group], ordered=True,
                                                     session=self.session)
            changed += result.upserted_count + result.modified_count + result.inserted_count
        return changed

    def emit(self, event_type: EventType, *, subject: Any, data: dict, sequence: int,
             federation: str | None) -> dict:
        envelope = make_envelope(
            source=self.source, type=event_type.type, subject=str(subject), data=event_type.dump(data),
            federation=federation, correlation_id=current_correlation_id(), sequence=sequence,
        )
        self.envelopes.append(envelope)
        return envelope

    def _write_outbox(self) -> None:
        if not self.envelopes:
            return
        now = clock.wall_now()
        # `seq` orders events of one transaction after each other and after earlier transactions.
        base = now.timestamp()
        self.outbox_rows = [
            {"_id": env["id"], "envelope": env, "routing_key": env["type"].rsplit(".", 1)[0],
             "status": PENDING, "seq": base + i * 1e-6, "created_at": now, "attempts": 0}
            for i, env in enumerate(self.envelopes)
        ]
        self.db[OUTBOX].insert_many(self.outbox_rows, session=self.session)


def atomic(db: Database, source: str, work: Callable[[Tx], T], *, timeout: float = WRITE_TIMEOUT_SECONDS) -> T:
    """Run `work` in one transaction with the outbox rows it emits. Transient errors (write conflicts)
    are retried within `timeout` seconds; past it, pymongo raises a timeout error (see
    `shared.mongo.store_unavailable` / `write_contended`)."""
    published: list[Tx] = []

    def callback(session: ClientSession) -> T:
        tx = Tx(db, session, source)
        result = work(tx)
        tx.flush()
        tx._write_outbox()
        published[:] = [tx]
        return result

    with db.client.start_session() as session:
        try:
            with pymongo.timeout(timeout):
                result = session.with_transaction(
                    callback, read_concern=ReadConcern("majority"), write_concern=DURABLE,
                )
        except PyMongoError as exc:
            if exc.timeout:
                _end_abandoned_transaction(db, session)
            raise
    if published and published[0].outbox_rows:
        after_commit(db, published[0].outbox_rows)
    return result


def _end_abandoned_transaction(db: Database, session: ClientSession) -> None:
    """Past the time limit pymongo gives up its abortTransaction without sending it, and the server
    keeps the transaction open, holding the documents it wrote, until its own lifetime limit (60 s):
    a redelivered event would be deferred on its own processed record for a minute. Kill the session."""
    try:
        with pymongo.timeout(ABANDONED_KILL_SECONDS):
            db.client.admin.command("killSessions", [session.session_id])
    except PyMongoError:
        pass  # the store is away: its transactions die with it or at their lifetime limit


def pending_count(db: Database) -> int:
    return db[OUTBOX].count_documents({"status": PENDING})
