"""MongoDB: one client per process, one database per service, indexes declared by each service.

Writes that must not be lost (state + outbox) go through `shared.bus.outbox.atomic`, which commits
with write concern majority and j=True.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pymongo import ASCENDING, IndexModel, MongoClient
from pymongo.database import Database
from pymongo.errors import CollectionInvalid, ConnectionFailure, OperationFailure, PyMongoError
from pymongo.write_concern import WriteConcern

DURABLE = WriteConcern("majority", j=True)
# How long a request waits to find the store before it answers 503 (reads and writes alike).
SERVER_SELECTION_SECONDS = 3
NAMESPACE_EXISTS = 48


class StoreUnavailable(Exception):
    """The store cannot be reached, or did not answer in time: retry later (HTTP 503)."""


def store_unavailable(exc: BaseException) -> bool:
    """An infrastructure failure of the store (down, unreachable, too slow), not a bad request."""
    if isinstance(exc, StoreUnavailable | ConnectionFailure):
        return True
    return isinstance(exc, PyMongoError) and exc.timeout and not write_contended(exc)


def write_contended(exc: BaseException) -> bool:
    """Another transaction holds the documents (write conflict) and kept them past our time limit."""
    return (isinstance(exc, PyMongoError) and not isinstance(exc, ConnectionFailure)
            and exc.has_error_label("TransientTransactionError"))

_clients: dict[str, MongoClient] = {}
_lock = threading.Lock()


def get_client(url: str) -> MongoClient:
    with _lock:
        client = _clients.get(url)
        if client is None:
            client = MongoClient(url, tz_aware=True, serverSelectionTimeoutMS=SERVER_SELECTION_SECONDS * 1000, connect=False)
            _clients[url] = client
        return client


def close_clients() -> None:
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def service_database(settings, service: str) -> Database:
    return get_client(settings.mongo_url).get_database(f"{settings.mongo_db_prefix}{service}")


@dataclass(frozen=True)
class Index:
    collection: str
    keys: list[tuple[str, int]] | str
    options: dict = field(default_factory=dict)

    def spec(self):
        return [(self.keys, ASCENDING)] if isinstance(self.keys, str) else self.keys


def ensure_indexes(db: Database, indexes: list[Index]) -> None:
    """Idempotent, and safe when several processes (gunicorn workers, replicas) run it at once. One
    createIndexes per collection: every api and worker runs this as it starts (and every test)."""
    existing = set(db.list_collection_names())
    by_collection: dict[str, list[IndexModel]] = {}
    for index in indexes:
        by_collection.setdefault(index.collection, []).append(IndexModel(index.spec(), **index.options))
    for collection, models in by_collection.items():
        # Collections must exist before a multi-document transaction writes to them on older servers.
        if collection not in existing:
            try:
                db.create_collection(collection)
            except CollectionInvalid:
                pass  # another process created it between our listing and our create
            except OperationFailure as exc:
                if exc.code != NAMESPACE_EXISTS:
                    raise
        db[collection].create_indexes(models)


def ping(db: Database) -> bool:
    db.client.admin.command("ping")
    return True
