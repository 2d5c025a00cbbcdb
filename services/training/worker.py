"""Training worker: its outbox relay and the registry projection (people and structures)."""
from __future__ import annotations

from services.training.handlers import HANDLERS
from shared.bus.consumer import Subscription
from shared.service import Job  # noqa: F401 - scheduled jobs are declared here

JOBS: list = []


def registry_projection() -> Subscription:
    return Subscription("training", "registry-projection", handlers=dict(HANDLERS))


def subscriptions(settings) -> list:
    return [registry_projection()]
