"""Notifications: e-mails (+ .ics), reminders, preferences, webhooks, the delivery log."""
from shared.spec import ServiceSpec

SERVICE = ServiceSpec(
    "notifications", app="services.notifications.app:create_app", indexes="services.notifications.store:INDEXES",
    catalog="services.notifications.events:catalog", subscriptions="services.notifications.worker:subscriptions",
    jobs="services.notifications.worker:JOBS")
