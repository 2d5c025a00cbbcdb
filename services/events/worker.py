"""Events worker: outbox relay, the registry projection consumer, the go / no-go job."""
from __future__ import annotations

from services.events import gonogo, handlers
from shared.bus.consumer import Subscription
from shared.spec import Job

JOBS: list = [Job("minimum-participants", 300, gonogo.check_minimums)]


def registry_projection() -> Subscription:
    return Subscription("events", handlers.PURPOSE, dict(handlers.HANDLERS))


def subscriptions(settings) -> list:
    return [registry_projection()]
