"""How a service declares itself to the kit: `SERVICE = ServiceSpec(...)` in `services/<name>/__init__.py`.

References are "module:attribute" strings (as gunicorn and entry points write them): a spec is cheap
to import, and the kit loads each part only when it needs it (the api does not import the worker).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass
class Job:
    """A scheduled job of a worker: `run(db, settings)` every `every_seconds`."""
    name: str
    every_seconds: float
    run: object


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str                      # create_app(settings) -> Flask app
    indexes: str                  # list[Index]: its collections and indexes
    catalog: str                  # EventCatalog: what it publishes
    subscriptions: str            # subscriptions(settings) -> list[Subscription]: what it consumes
    jobs: str | None = None       # list[Job]: its worker's scheduled jobs
    demo: str | None = None       # load(runtime) -> summary: demo data from the seeds

    def load(self, part: str):
        reference = getattr(self, part)
        if reference is None:
            return None
        module, _, attribute = reference.partition(":")
        return getattr(importlib.import_module(module), attribute)
