"""Registry api: `gunicorn "services.registry.app:create_app()"`."""
from __future__ import annotations

from shared.config import load_settings
from shared.http.app import create_service_app
from shared.service import ServiceRuntime


def create_app(settings=None):
    from services.registry.api import BLUEPRINTS

    runtime = ServiceRuntime("registry", settings or load_settings())
    runtime.refuse_unsafe_start("api")
    runtime.ensure_indexes()
    return create_service_app(
        runtime, title="Maillage registry",
        description="Structures of the coordinated primary care network, territories, people and roles.",
        blueprints=BLUEPRINTS,
    )
