"""Events worker: outbox relay, the registry projection consumer, the go / no-go job, the repair of abandoned draws."""
from __future__ import annotations

from services.events import handlers, meetings, repair
from shared.bus.consumer import Subscription
from shared.spec import Job

JOBS: list = [Job("minimum-participants", 300, meetings.check_minimums),
              Job("abandoned-draws", 5, repair.repair_abandoned_draws)]


def registry_projection() -> Subscription:
    return Subscription("events", handlers.PURPOSE, dict(handlers.HANDLERS))


def subscriptions(settings) -> list:
    return [registry_projection()]
