"""Prometheus metrics shared by every service (one registry per process)."""
from prometheus_client import Counter, Gauge, Histogram

REQUEST_LATENCY = Histogram(
    "maillage_http_request_seconds", "HTTP request latency", ["service", "method", "endpoint", "status"],
)
EVENTS_PUBLISHED = Counter("maillage_events_published_total", "Events published by the outbox relay",
                           ["service", "type"])
EVENTS_UNROUTABLE = Counter("maillage_events_unroutable_total",
                            "Events the broker returned because no queue was bound", ["service", "type"])
EVENTS_CONSUMED = Counter("maillage_events_consumed_total", "Events handled by a consumer",
                          ["queue", "outcome"])
EVENTS_FAILED = Counter("maillage_events_failed_total", "Handler failures (each retry counts)", ["queue"])
OUTBOX_PENDING = Gauge("maillage_outbox_pending", "Events waiting in a service's outbox", ["service"],
                       multiprocess_mode="max")
EVENTS_DEFERRED = Counter("maillage_events_deferred_total",
                          "Events put back for later, uncounted, because another transaction held their documents",
                          ["queue"])
CONSUMERS_CONNECTED = Gauge("maillage_consumers_connected", "Consumer threads connected and consuming, per queue",
                            ["queue"], multiprocess_mode="livesum")
RELAY_LEADER = Gauge("maillage_outbox_relay_leader", "1 while this process holds its service's relay lease",
                     ["service"], multiprocess_mode="livesum")
