"""A worker's own HTTP endpoint for orchestrators: `/health/live`, `/health/ready`, `/metrics`.

Live fails when a consumer thread died or is stuck (restart the worker); ready fails while a consumer
is not consuming or the relay cannot publish (broker or store away: wait, don't restart).
"""
from __future__ import annotations

import json
import threading

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


def worker_http_app(worker):
    @Request.application
    def app(request: Request) -> Response:
        if request.path in ("/health/live", "/health/ready"):
            status = worker.status()
            ok = status["live"] if request.path == "/health/live" else status["ready"]
            return Response(json.dumps(status), status=200 if ok else 503, mimetype="application/json")
        if request.path == "/metrics":
            return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
        return Response(json.dumps({"title": "Not Found", "status": 404}), status=404,
                        mimetype="application/problem+json")
    return app


def serve_worker_http(worker, port: int, host: str = "0.0.0.0"):
    server = make_server(host, port, worker_http_app(worker), threaded=True)
    threading.Thread(target=server.serve_forever, name="worker-http", daemon=True).start()
    return server
