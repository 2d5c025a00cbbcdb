"""Events worker: outbox relay, consumers, scheduled jobs."""
JOBS: list = []


def subscriptions(settings) -> list:
    return []
