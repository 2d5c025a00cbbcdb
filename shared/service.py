"""A service by convention: `services/<name>/` has `app.py` (create_app), `store.py` (INDEXES),
`events.py` (catalog), `worker.py` (subscriptions(settings), JOBS)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property

from pymongo.database import Database

from shared.bus.consumer import PROCESSED_INDEXES
from shared.bus.outbox import OUTBOX_INDEXES
from shared.mongo import ensure_indexes, service_database
from shared.startup_checks import refuse_unsafe_start

SERVICE_NAMES = ("registry", "events", "training", "notifications")


@dataclass
class Job:
    """A scheduled job of a worker: `run(db, settings)` every `every_seconds`."""
    name: str
    every_seconds: float
    run: object


class ServiceRuntime:
    def __init__(self, name: str, settings):
        if name not in SERVICE_NAMES:
            raise ValueError(f"unknown service {name!r}; one of {', '.join(SERVICE_NAMES)}")
        self.name = name
        self.settings = settings

    def module(self, part: str):
        return importlib.import_module(f"services.{self.name}.{part}")

    @cached_property
    def db(self) -> Database:
        return service_database(self.settings, self.name)

    def ensure_indexes(self) -> None:
        ensure_indexes(self.db, [*OUTBOX_INDEXES, *PROCESSED_INDEXES, *self.module("store").INDEXES])

    def refuse_unsafe_start(self, process: str) -> None:
        """Outside dev, an api or a worker with a missing, published or short secret does not start."""
        refuse_unsafe_start(self.settings, f"the {self.name} {process}")

    def subscriptions(self):
        # A worker asks for its subscriptions as it starts: that is where it is refused.
        self.refuse_unsafe_start("worker")
        return self.module("worker").subscriptions(self.settings)

    def jobs(self) -> list[Job]:
        return list(getattr(self.module("worker"), "JOBS", []))

    def catalog(self):
        return self.module("events").catalog

    def create_app(self):
        return self.module("app").create_app(self.settings)


def platform_topologies(settings) -> list:
    """Every subscriber queue of every service, with its bindings: what must exist before publishing."""
    from shared.bus.topology import consumer_topology, queue_name

    return [consumer_topology(settings, queue_name(settings, sub.service, sub.purpose), list(sub.handlers))
            for name in SERVICE_NAMES
            for sub in ServiceRuntime(name, settings).module("worker").subscriptions(settings)]


def declare_platform(settings) -> list[str]:
    """`maillage declare`: the exchange and every subscriber queue, before any worker publishes."""
    from shared.bus.connection import connect, events_exchange
    from shared.bus.topology import declare

    topologies = platform_topologies(settings)
    with connect(settings, confirms=False) as conn:
        conn.ensure_connection(max_retries=3, timeout=5)
        events_exchange(settings)(conn.default_channel).declare()
        for topology in topologies:
            declare(conn, topology)
    return [t.queue.name for t in topologies]
