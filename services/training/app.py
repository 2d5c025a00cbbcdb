"""Training api: `gunicorn "services.training.app:create_app()"`."""
from shared.http.app import service_app_factory

DESCRIPTION = ("PACTE programmes, cohorts, applications and selection, seminars and attendance, "
               "validation and certificates.")
create_app = service_app_factory("training", "Maillage training", DESCRIPTION,
                                 blueprints="services.training.api:BLUEPRINTS")
