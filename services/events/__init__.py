"""Events: meetings of the networks (local groups, regional days, seminars, webinars, facilitations),
registrations, waiting lists, attendance, the public agenda."""
from shared.spec import ServiceSpec

SERVICE = ServiceSpec(
    "events", app="services.events.app:create_app", indexes="services.events.store:INDEXES",
    catalog="services.events.events:catalog", subscriptions="services.events.worker:subscriptions",
    jobs="services.events.worker:JOBS", demo="services.events.demo:load")
