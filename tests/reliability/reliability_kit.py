"""Fault tests: a RabbitMQ node of the test's own (stopped, started, killed) and, where the store is
killed, an embedded store of the test's own. Never the shared broker on 5672."""
from __future__ import annotations

import os
import shutil
import threading
import time
import uuid

import pytest

from shared.http.auth import Principal
from shared.runtime import SERVICE_NAMES, ServiceRuntime
from shared.testing.broker_node import BrokerNode, broker_node_available

STAFF = Principal(sub="staff-apmsl", federation="apmsl", roles=frozenset({"staff"}))


def _require_broker_node():
    if not broker_node_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and no local RabbitMQ installation to start a broker node of the test's own")
        pytest.skip("no local RabbitMQ installation to start a broker node of the test's own")


@pytest.fixture(scope="module")
def broker_node():
    """One node per test module (starting one takes about 10 s); each test has its own queues and exchange."""
    _require_broker_node()
    node = BrokerNode().start()
    yield node
    node.close()


@pytest.fixture
def broker(broker_node):
    """The module's node, running when the test starts (a test may stop, kill and start it as it likes)."""
    yield broker_node.start()


@pytest.fixture
def bus_settings(settings, broker):
    return settings.replace(amqp_url=broker.url)


def runtimes_of(settings) -> dict[str, ServiceRuntime]:
    """The four services' runtimes on these settings (indexes created)."""
    runtimes = {name: ServiceRuntime(name, settings) for name in SERVICE_NAMES}
    for rt in runtimes.values():
        rt.ensure_indexes()
    return runtimes


@pytest.fixture
def platform(bus_settings):
    """The four services on the test's own broker; events wait for a relay (the fixture's settings)."""
    return runtimes_of(bus_settings)


@pytest.fixture
def publishing_platform(bus_settings):
    """The same, publishing on commit as in production (OUTBOX_PUBLISH_ON_COMMIT's default)."""
    return runtimes_of(bus_settings.replace(outbox_publish_on_commit=True))


class StructureWriter(threading.Thread):
    """Registers `count` structures through the registry's use case, `pace` seconds apart."""

    def __init__(self, registry: ServiceRuntime, count: int, pace: float):
        super().__init__(daemon=True)
        self.registry, self.count, self.pace = registry, count, pace
        self.written: dict[str, str] = {}
        self.errors: list[str] = []

    def run(self):
        from services.registry.structures import register_structure

        for n in range(self.count):
            name = f"MSP fautes {n:04d} {uuid.uuid4().hex[:4]}"
            try:
                doc = register_structure(self.registry.db, STAFF, {"kind": "MSP", "name": name, "city": "Nantes",
                                                                  "department": "44"})
                self.written[doc["_id"]] = name
            except Exception as exc:  # noqa: BLE001 - counted: the test says what failed
                self.errors.append(repr(exc))
            time.sleep(self.pace)


def projected(runtime: ServiceRuntime, ids) -> dict[str, str]:
    return {d["_id"]: d.get("name") for d in runtime.db["structures"].find({"_id": {"$in": list(ids)}},
                                                                          {"name": 1})}


def wait_for(predicate, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@pytest.fixture
def own_store(tmp_path):
    """An embedded store of the test's own (synced on commit) that the test may kill -9 and restart."""
    from shared.devserver import free_port, start_secantus

    if shutil.which("secantusd-py") is None and not (os.path.exists(os.path.join(os.path.dirname(
            os.sys.executable), "secantusd-py"))):
        pytest.skip("the embedded store is not installed")
    store = StoreNode(str(tmp_path / "store"), free_port())
    store.start()
    yield store
    store.kill()


class StoreNode:
    def __init__(self, path: str, port: int):
        self.path, self.port, self.proc = path, port, None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?retryWrites=false"

    def start(self):
        from shared.devserver import start_secantus

        os.makedirs(self.path, exist_ok=True)
        self.proc, _ = start_secantus(self.path, port=self.port, sync=True)

    def kill(self):
        import signal

        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None
