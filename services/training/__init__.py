"""Training: PACTE programmes, cohorts, applications and selection, seminars, learners, certificates."""
from shared.spec import ServiceSpec

SERVICE = ServiceSpec(
    "training", app="services.training.app:create_app", indexes="services.training.store:INDEXES",
    catalog="services.training.events:catalog", subscriptions="services.training.worker:subscriptions",
    jobs="services.training.worker:JOBS", demo="services.training.demo:load")
