"""Registry worker: its outbox relay (the registry consumes no other service's events yet)."""
from shared.service import Job  # noqa: F401 - scheduled jobs are declared here

JOBS: list = []


def subscriptions(settings) -> list:
    return []
