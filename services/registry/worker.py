"""Registry worker: its outbox relay and one housekeeping job (the registry consumes no other service's events)."""
from services.registry import handlers
from services.registry.people import refresh_active_roles
from shared.spec import Job

JOBS: list = [Job("active-roles", 3600.0, refresh_active_roles)]


def subscriptions(settings) -> list:
    return list(handlers.SUBSCRIPTIONS)
