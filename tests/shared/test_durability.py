"""What `atomic` acknowledged survives a hard crash of the store (SecantusDB with --sync-on-commit).

Only meaningful on the embedded server: with MONGO_URL or a container the test is skipped.
"""
import os

import signal
import uuid

import pytest
from pymongo import MongoClient

from shared.bus.outbox import OUTBOX, atomic
from shared.bus.catalog import EventCatalog
from shared.devserver import start_secantus, free_port
from shared.mongo import ensure_indexes
from shared.bus.outbox import OUTBOX_INDEXES
from marshmallow import Schema, fields


pytestmark = pytest.mark.integration  # starts and kills a store of its own


class Data(Schema):
    n = fields.Int()


EVENT = EventCatalog("registry").event("registry.probe.written.v1", Data, "test only")


@pytest.mark.skipif(bool(os.environ.get("MONGO_URL")), reason="kills an embedded server it starts itself")
def test_acknowledged_state_and_outbox_survive_kill_9(tmp_path):
    port = free_port()
    proc, url = start_secantus(str(tmp_path), port=port, sync=True)
    db = MongoClient(url, tz_aware=True).durability
    ensure_indexes(db, OUTBOX_INDEXES)
    ids = []
    for n in range(20):
        key = str(uuid.uuid4())

        def write(tx, key=key, n=n):
            tx.db.things.insert_one({"_id": key, "n": n}, session=tx.session)
            tx.emit(EVENT, subject=key, data={"n": n}, sequence=1, federation="apmsl")
        atomic(db, "registry", write)
        ids.append(key)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    proc, url = start_secantus(str(tmp_path), port=port, sync=True)
    try:
        db = MongoClient(url, tz_aware=True).durability
        assert db.things.count_documents({"_id": {"$in": ids}}) == 20
        assert db[OUTBOX].count_documents({"envelope.subject": {"$in": ids}, "status": "pending"}) == 20
    finally:
        proc.kill()
