"""Training api: `gunicorn "services.training.app:create_app()"`."""
from __future__ import annotations

from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceRuntime


def create_app(settings=None):
    from services.training.api import BLUEPRINTS

    runtime = ServiceRuntime("training", settings or load_settings())
    runtime.refuse_unsafe_start("api")
    runtime.ensure_indexes()
    return create_service_app(
        runtime, title="Maillage training",
        description="PACTE programmes, cohorts, applications and selection, seminars and attendance, "
                    "validation and certificates.",
        blueprints=BLUEPRINTS,
    )
