"""Registry api: `gunicorn "services.registry.app:create_app()"`."""
from shared.http.app import service_app_factory

DESCRIPTION = ("Structures of the coordinated primary care network, territories, people and roles.")
create_app = service_app_factory("registry", "Maillage registry", DESCRIPTION,
                                 blueprints="services.registry.api:BLUEPRINTS")
