"""A service at run time: its declaration (`shared.spec.ServiceSpec`, in `services/<name>/__init__.py`),
the settings, and its database. The kit wires what the specs of `services.PLATFORM` say."""
from __future__ import annotations

from functools import cached_property

from pymongo.database import Database

from shared.bus.consumer import PROCESSED_INDEXES
from shared.bus import publisher
from shared.bus.outbox import OUTBOX_INDEXES
from shared.bus.relay import OutboxRelay, publishes_on_commit
from shared.bus.wake import known_database
from shared.mongo import ensure_indexes, service_database
from shared.startup_checks import refuse_unsafe_start

from services import PLATFORM
from shared.spec import Job, ServiceSpec  # noqa: F401 - Job is what services' workers declare

SPECS: dict[str, ServiceSpec] = {spec.name: spec for spec in PLATFORM}
SERVICE_NAMES = tuple(SPECS)


class ServiceRuntime:
    def __init__(self, name: str, settings):
        if name not in SERVICE_NAMES:
            raise ValueError(f"unknown service {name!r}; one of {', '.join(SERVICE_NAMES)}")
        self.name = name
        self.spec = SPECS[name]
        self.settings = settings

    @cached_property
    def db(self) -> Database:
        db = service_database(self.settings, self.name)
        known_database(db, self.settings)  # its commits can wake its relay in another process
        if publishes_on_commit(self.settings):
            publisher.register(db, lambda: OutboxRelay(db, self.name, self.settings, platform_topologies(self.settings)))
        return db

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, [*OUTBOX_INDEXES, *PROCESSED_INDEXES, *self.spec.load("indexes")])

    def refuse_unsafe_start(self, process: str) -> None:
        """Outside dev, an api or a worker with a missing, published or short secret does not start."""
        refuse_unsafe_start(self.settings, f"the {self.name} {process}")

    def subscriptions(self):
        # A worker asks for its subscriptions as it starts: that is where it is refused.
        self.refuse_unsafe_start("worker")
        return self.spec.load("subscriptions")(self.settings)

    def jobs(self) -> list[Job]:
        return list(self.spec.load("jobs") or [])

    def catalog(self):
        return self.spec.load("catalog")

    def create_app(self):
        return self.spec.load("app")(self.settings)

    def load_demo(self):
        """Demo data from the seeds; None when the service has none."""
        load = self.spec.load("demo")
        return load(self) if load else None


def platform_topologies(settings) -> list:
    """Every subscriber queue of every service, with its bindings: what must exist before publishing."""
    from shared.bus.topology import consumer_topology, queue_name

    return [consumer_topology(settings, queue_name(settings, sub.service, sub.purpose), list(sub.handlers))
            for spec in PLATFORM for sub in spec.load("subscriptions")(settings)]


def declare_platform(settings) -> list[str]:
    """`maillage declare`: the exchange and every subscriber queue, before any worker publishes."""
    from shared.bus.connection import connect, events_exchange
    from shared.bus.topology import declare_all

    topologies = platform_topologies(settings)
    with connect(settings, confirms=False) as conn:
        conn.ensure_connection(max_retries=3, timeout=5)
        events_exchange(settings)(conn.default_channel).declare()
        declare_all(conn, topologies)
    return [t.queue.name for t in topologies]
