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
