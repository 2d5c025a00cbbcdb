"""Training worker: its outbox relay, the registry projection (people and structures), and a job that
closes applications once a cohort's closing date has passed."""
from __future__ import annotations

from services.training import cohorts
from services.training.handlers import HANDLERS
from services.training.store import COHORTS
from shared.bus.consumer import Subscription
from shared.clock import today
from shared.dates import to_mongo
from shared.http.auth import Principal
from shared.spec import Job


def close_due_applications(db, settings) -> int:
    """Cohorts still open after their `applications_close_on` move to selection."""
    closed = 0
    for cohort in db[COHORTS].find({"status": "open", "applications_close_on": {"$lt": to_mongo(today())}},
                                   {"federation": 1}):
        system = Principal("system:training-scheduler", cohort["federation"], frozenset({"staff"}))
        try:
            cohorts.close_applications(db, system, cohort["_id"])
            closed += 1
        except Exception:  # noqa: BLE001 - changed meanwhile (closed or cancelled by staff): next run sees it
            continue
    return closed


JOBS: list = [Job("close-due-applications", 3600, close_due_applications)]


def registry_projection() -> Subscription:
    return Subscription("training", "registry-projection", handlers=dict(HANDLERS))


def subscriptions(settings) -> list:
    return [registry_projection()]
