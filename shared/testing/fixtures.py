"""pytest fixtures: real MongoDB-wire server and real RabbitMQ, isolated per test.

Each test gets its own database prefix, exchange and queue prefix (see `settings`), so tests never
see each other's data or messages. Enable with `pytest_plugins = ["shared.testing.fixtures"]`.
"""
from __future__ import annotations

import os
import uuid
import warnings

import pymongo
import pymongo.errors
import pytest

from shared.bus import wake
from shared.bus.connection import connect
from shared.bus.topology import declared_queues
from shared.config import Settings
from shared.http.auth import issue_token
from shared.mongo import get_client
from shared.runtime import ServiceRuntime
from shared.testing import infra
from shared.testing.broker_cleanup import delete_exchanges
from shared.testing.helpers import EventCapture

DROP_SECONDS = 10


@pytest.fixture(scope="session")
def mongo_server_url():
    with infra.mongo_url() as url:
        yield url


@pytest.fixture(scope="session")
def amqp_server_url():
    try:
        with infra.amqp_url() as url:
            yield url
    except infra.Unavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {exc}", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture
def settings(mongo_server_url, amqp_server_url, tmp_path):
    tag = uuid.uuid4().hex[:10]
    s = Settings(
        mongo_url=mongo_server_url, mongo_db_prefix=f"t{tag}_", amqp_url=amqp_server_url,
        exchange=f"test.{tag}.events", queue_prefix=f"test.{tag}.", retry_delays=(0.05, 0.1),
        worker_prefetch=10, outbox_poll_seconds=0.5, env="test", jwt_secret="test-secret-" + "x" * 32,
        log_json=False, log_level="WARNING", smtp_url=f"file://{tmp_path}/mail", var_dir=str(tmp_path / "var"),
        public_base_url="http://maillage.test",
        # Tests publish by running a relay (or a worker) when they choose; publishing on commit, the
        # default, has tests of its own (tests/shared/test_publish_on_commit.py, tests/reliability).
        outbox_publish_on_commit=False,
    )
    yield s
    _cleanup(s)


def _cleanup(s: Settings) -> None:
    client = get_client(s.mongo_url)
    for name in client.list_database_names():
        if name.startswith(s.mongo_db_prefix):
            try:
                # Bounded: on SecantusDB a drop behind a transaction left open never returns (the
                # transaction is not reaped at its lifetime limit while the drop waits), and the store
                # spins meanwhile. Nothing else runs at teardown: end every session, then drop.
                with pymongo.timeout(DROP_SECONDS):
                    client.drop_database(name)
            except pymongo.errors.PyMongoError:
                warnings.warn(f"the test left a transaction open on {name}: every session ended to drop it")
                with pymongo.timeout(DROP_SECONDS):
                    client.admin.command("killAllSessions", [])
                    client.drop_database(name)
    names = sorted(n for n in declared_queues if n.startswith(s.queue_prefix))
    wake.stop_poking(s)  # else a poke sent after the deletes would declare the wake exchange again
    try:
        with connect(s, confirms=False) as conn:
            for name in names:
                try:
                    conn.channel().queue_delete(name)
                except Exception:  # noqa: BLE001 - already gone
                    pass
                declared_queues.discard(name)
            delete_exchanges(conn, s)
    except Exception:  # noqa: BLE001 - cleanup is best effort
        pass


@pytest.fixture
def runtime(settings):
    """`runtime("registry")`: a service's runtime on this test's database, indexes created."""
    made = {}

    def make(name: str, *, indexes: bool = True) -> ServiceRuntime:
        if name not in made:
            made[name] = ServiceRuntime(name, settings)
            if indexes:
                made[name].ensure_indexes()
        return made[name]
    return make


class ApiClient:
    """A service's Flask test client that signs requests as a given user."""

    def __init__(self, app, settings):
        self.app = app
        self.client = app.test_client()
        self.settings = settings
        self.headers: dict = {}

    def as_user(self, federation: str | None = "apmsl", roles=("admin",), sub: str | None = None) -> "ApiClient":
        other = ApiClient.__new__(ApiClient)
        other.app, other.client, other.settings = self.app, self.client, self.settings
        token = issue_token(self.settings, sub=sub or f"user-{uuid.uuid4().hex[:6]}", federation=federation,
                            roles=list(roles))
        other.headers = {"Authorization": f"Bearer {token}"}
        return other

    def anonymous(self) -> "ApiClient":
        other = ApiClient.__new__(ApiClient)
        other.app, other.client, other.settings, other.headers = self.app, self.client, self.settings, {}
        return other

    def _call(self, method, path, headers=None, **kwargs):
        return self.client.open(path, method=method, headers={**self.headers, **(headers or {})}, **kwargs)

    def get(self, path, **kw):
        return self._call("GET", path, **kw)

    def post(self, path, **kw):
        return self._call("POST", path, **kw)

    def patch(self, path, **kw):
        return self._call("PATCH", path, **kw)

    def put(self, path, **kw):
        return self._call("PUT", path, **kw)

    def delete(self, path, **kw):
        return self._call("DELETE", path, **kw)


@pytest.fixture
def api(runtime, settings):
    """`api("registry")`: an ApiClient on the service's app (use `.as_user(federation, roles)`)."""
    made = {}

    def make(name: str) -> ApiClient:
        if name not in made:
            # The app creates the indexes as it starts, as under gunicorn.
            made[name] = ApiClient(runtime(name, indexes=False).create_app(), settings)
        return made[name]
    return make


@pytest.fixture
def smtp():
    """A real SMTP server on a free port (`smtp.url`, `smtp.messages`, `smtp.sink.to(address)`)."""
    from shared.testing.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def capture(settings):
    """`capture("registry.#")`: an EventCapture on this test's exchange."""
    made = []

    def make(pattern: str = "#") -> EventCapture:
        made.append(EventCapture(settings, pattern))
        return made[-1]
    yield make
    for cap in made:
        cap.close()


def token_for(settings, federation="apmsl", roles=("admin",), sub="tester") -> str:
    return issue_token(settings, sub=sub, federation=federation, roles=list(roles))


# Tests that need the broker or a store are `integration`, found from the fixtures they use:
# `pytest -m "not integration"` runs the pure-rule tests in seconds, with neither.
INFRA_FIXTURES = frozenset({"mongo_server_url", "amqp_server_url", "broker", "own_store"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INFRA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


# `make test` runs the suite on pytest-xdist workers. The tests that install web/node_modules, build web/dist
# or run `make dev` (which builds it) share one checkout's web/, and Vite refuses a second build at once:
# they go to one worker, one after another. (xdist's own `xdist_group` mark is not seen under pytest 9.2,
# which no longer takes the worker's renamed node ids, so the group is named here by file.)
ONE_WORKER_FOR = ("tests/web/", "tests/shared/test_dev_server_stops.py")


def _scope_of(nodeid: str) -> str:
    return "web-console" if nodeid.startswith(ONE_WORKER_FOR) else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":  # `-n N` alone; another --dist keeps its own scheduler
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerForTheWebConsole(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope_of(nodeid)

    return OneWorkerForTheWebConsole(config, log)
