"""Every process creates its collections and indexes at start; several start at once (gunicorn
workers, replicas) and none may die because another created a collection first."""
import threading

from shared.mongo import Index, ensure_indexes


def test_many_processes_creating_the_same_collections_at_once_all_succeed(runtime, settings):
    db = runtime("registry").db.client[f"{settings.mongo_db_prefix}race"]
    indexes = [Index(f"c{n}", [("a", 1), ("b", 1)]) for n in range(6)] + [Index("c0", "at", {"expireAfterSeconds": 60})]
    errors, barrier = [], threading.Barrier(8)

    def start():
        barrier.wait()
        try:
            ensure_indexes(db, indexes)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(repr(exc))
    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert {f"c{n}" for n in range(6)} <= set(db.list_collection_names())
    ensure_indexes(db, indexes)  # and again, later: nothing to do, no error
