"""Registry: structures (MSP, CPTS, CDS, ESP), territories and local groups, people and their roles."""
from shared.spec import ServiceSpec

SERVICE = ServiceSpec(
    "registry", app="services.registry.app:create_app", indexes="services.registry.store:INDEXES",
    catalog="services.registry.events:catalog", subscriptions="services.registry.worker:subscriptions",
    jobs="services.registry.worker:JOBS", demo="services.registry.demo:load")
