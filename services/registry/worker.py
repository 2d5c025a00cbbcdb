"""Registry worker: its outbox relay and one housekeeping job (the registry consumes no other service's events)."""
from services.registry.people import refresh_expired_roles
from shared.spec import Job

JOBS: list = [Job("expired-roles", 3600.0, refresh_expired_roles)]


def subscriptions(settings) -> list:
    return []
