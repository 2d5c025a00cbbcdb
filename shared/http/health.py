"""`/<service>/health/live`, `/<service>/health/ready` (Mongo + broker) and `/<service>/metrics`."""
from __future__ import annotations

import os

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

from shared.bus.connection import broker_ready
from shared.bus.outbox import pending_count
from shared.metrics import OUTBOX_PENDING
from shared.mongo import ping


def health_blueprint(service: str, db, settings) -> Blueprint:
    bp = Blueprint(f"{service}_health", __name__)

    @bp.get(f"/{service}/health/live")
    def live():
        return jsonify(status="ok", service=service)

    @bp.get(f"/{service}/health/ready")
    def ready():
        checks = {}
        for name, check in (("mongo", lambda: ping(db)), ("broker", lambda: broker_ready(settings))):
            try:
                checks[name] = "ok" if check() else "down"
            except Exception as exc:  # noqa: BLE001 - report, don't crash
                checks[name] = f"down: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return jsonify(status="ok" if ok else "unavailable", service=service, checks=checks), 200 if ok else 503

    @bp.get(f"/{service}/metrics")
    def metrics():
        try:
            OUTBOX_PENDING.labels(service).set(pending_count(db))
        except Exception:  # noqa: BLE001 - metrics must answer even when Mongo does not
            current_app.logger.warning("outbox gauge unavailable")
        registry = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # under gunicorn: every worker's figures
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    return bp
