"""Notifications api: `gunicorn "services.notifications.app:create_app()"`."""
from __future__ import annotations

from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceRuntime


def create_app(settings=None):
    from services.notifications.api import BLUEPRINTS

    runtime = ServiceRuntime("notifications", settings or load_settings())
    runtime.refuse_unsafe_start("api")
    runtime.ensure_indexes()
    return create_service_app(
        runtime, title="Maillage notifications",
        description="E-mails (with .ics) from the platform's events, reminders, preferences and unsubscribe "
                    "links, webhooks, and the delivery log.",
        blueprints=BLUEPRINTS)
