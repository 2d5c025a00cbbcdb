"""Events api: `gunicorn "services.events.app:create_app()"`."""
from __future__ import annotations

from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceRuntime


def create_app(settings=None):
    from services.events.api import BLUEPRINTS

    runtime = ServiceRuntime("events", settings or load_settings())
    runtime.refuse_unsafe_start("api")
    runtime.ensure_indexes()
    return create_service_app(
        runtime, title="Maillage events",
        description=("Events and meetings of the federations (local coordinator groups, regional days, seminars, "
                     "webinars, facilitations…), registrations with waiting lists, attendance, the public agenda "
                     "and its iCalendar feeds, and the figures federations report. Times are stored in UTC and "
                     "shown in Europe/Paris."),
        blueprints=BLUEPRINTS,
    )
