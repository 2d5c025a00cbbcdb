"""What the embedded store (SecantusDB) does differently from MongoDB, shown so nobody is surprised.

These tests pin the embedded server's behaviour; against real MongoDB (MONGO_URL, testcontainers)
they are skipped. The product code stays plain MongoDB: the registry simply declares an index for
each query shape it serves (harmless on MongoDB), and benchmarks state what the store costs.
"""
import pytest
from pymongo import MongoClient


@pytest.fixture
def secantus(mongo_server_url):
    client = MongoClient(mongo_server_url)
    if "secantusVersion" not in client.server_info():
        pytest.skip("only the embedded SecantusDB behaves this way")
    db = client["quirks_probe"]
    yield db
    client.drop_database(db.name)


def test_a_filter_field_outside_the_index_makes_the_embedded_planner_scan_the_collection(secantus):
    secantus.things.create_index([("a", 1), ("b", 1)])
    secantus.things.insert_many([{"a": i % 5, "b": i % 7, "c": i % 3} for i in range(50)])
    plan = secantus.things.find({"a": 1, "c": 2}).explain()["queryPlanner"]["winningPlan"]
    # MongoDB would use the {a, b} index on its `a` prefix and filter `c` after the fetch.
    assert plan["stage"] == "COLLSCAN"
    covered = secantus.things.find({"a": 1}).explain()["queryPlanner"]["winningPlan"]
    assert covered["inputStage"]["stage"] == "IXSCAN"


def test_the_embedded_planner_uses_an_index_only_when_the_filter_is_exactly_one_of_its_prefixes(secantus):
    """Why the registry keeps one index per list shape (12 on `structures`) instead of a few wide ones,
    although each costs its writes: a wide index serves no filter that skips one of its leading fields."""
    secantus.things.create_index([("a", 1), ("b", 1), ("c", 1)])
    secantus.things.insert_many([{"a": i % 5, "b": i % 7, "c": i % 3} for i in range(50)])

    def stage(query):
        return secantus.things.find(query).explain()["queryPlanner"]["winningPlan"]["stage"]
    assert stage({"a": 1, "b": 2}) == "FETCH"  # over an IXSCAN: a prefix
    # MongoDB would scan the index on `a` and filter `c` from its keys.
    assert stage({"a": 1, "c": 2}) == "COLLSCAN"


def test_a_hinted_query_costs_in_proportion_to_the_whole_collection_on_the_embedded_store(secantus):
    """Why the outbox relay does not `.hint()` its batch query: published rows (kept 7 days) would make
    every pass as slow as the outbox is big. `explain` shows the same plan and keys either way, so this
    compares the two queries in the same run, with a wide margin (measured: 30x apart)."""
    import time

    secantus.outbox.create_index([("status", 1), ("seq", 1)])
    secantus.outbox.insert_many([{"status": "published", "seq": float(i)} for i in range(5000)]
                                + [{"status": "pending", "seq": 10_000.0 + i} for i in range(10)])
    query = {"status": "pending", "seq": {"$gte": 10_000.0}}

    def cost(cursor_factory, runs=5):
        started = time.perf_counter()
        for _ in range(runs):
            assert len(list(cursor_factory())) == 10
        return time.perf_counter() - started
    hinted = cost(lambda: secantus.outbox.find(query).sort([("status", 1), ("seq", 1)]).hint([("status", 1), ("seq", 1)]))
    plain = cost(lambda: secantus.outbox.find(query).sort([("status", 1), ("seq", 1)]))
    # Not a benchmark: an order of magnitude apart (see bench/outbox_drain.py for figures).
    assert hinted > 5 * plain


def test_a_database_drop_behind_an_abandoned_transaction_never_returns_on_the_embedded_store(tmp_path):
    """MongoDB aborts the transaction at its lifetime limit and the drop goes on. SecantusDB keeps the
    drop waiting well past that limit (spinning a core), and every later read of the database with it;
    killAllSessions frees it. The test fixtures therefore bound their drop and then end every session
    (`shared.testing.fixtures`): such a test fails with a warning instead of hanging the suite."""
    import time

    import pymongo
    from pymongo.errors import PyMongoError
    from shared.testing.store_with_short_transactions import start_store_with_short_transactions

    proc, url = start_store_with_short_transactions(str(tmp_path / "store"), lifetime=1)
    try:
        client = MongoClient(url)
        client.probe.t.insert_one({"_id": "x", "n": 0})
        abandoned = client.start_session()
        abandoned.start_transaction()
        client.probe.t.update_one({"_id": "x"}, {"$inc": {"n": 1}}, session=abandoned)
        started = time.monotonic()
        with pytest.raises(PyMongoError) as raised, pymongo.timeout(4):
            client.drop_database("probe")  # the transaction's lifetime (1 s) passes meanwhile
        assert raised.value.timeout and time.monotonic() - started >= 4
    finally:
        proc.kill()
        proc.wait(10)
