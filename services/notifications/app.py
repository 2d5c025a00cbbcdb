"""Notifications api: `gunicorn "services.notifications.app:create_app()"`."""
from shared.http.app import service_app_factory

DESCRIPTION = ("E-mails (with .ics) from the platform's events, reminders, preferences and unsubscribe "
               "links, webhooks, and the delivery log.")
create_app = service_app_factory("notifications", "Maillage notifications", DESCRIPTION,
                                 blueprints="services.notifications.api:BLUEPRINTS")
