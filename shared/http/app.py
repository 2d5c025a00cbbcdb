"""`create_service_app`: a flask-smorest app for one service, its routes under `/<service>/…`.

OpenAPI 3 at `/<service>/openapi.json`, interactive page at `/<service>/docs`.
"""
from __future__ import annotations

import time
import uuid

from flask import Flask, g, request
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS

from shared.http import errors, swagger_ui
from shared.http.chunked_body import ChunkedBodyLimit, raise_if_too_large
from shared.http.health import health_blueprint
from shared.http.openapi import OperationsPlugin, ProblemApi, security_schemes
from shared.http.routes import check_access_first
from shared.logs import configure_logging, correlation_id_var
from shared.metrics import REQUEST_LATENCY
from shared.runtime import ServiceRuntime

MAX_BODY_BYTES = 1 * 1024 * 1024


class JSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False


def create_service_app(runtime: ServiceRuntime, *, title: str, description: str, blueprints: list) -> Flask:
    settings = runtime.settings
    configure_logging(settings.log_level, settings.log_json)
    app = Flask(f"maillage.{runtime.name}")
    app.json = JSONProvider(app)
    app.config.update(
        MAILLAGE_SETTINGS=settings,
        MAILLAGE_RUNTIME=runtime,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/{runtime.name}",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=swagger_ui.ASSETS_URL,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {"securitySchemes": security_schemes(settings)},
        },
    )
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, MAX_BODY_BYTES)
    api = ProblemApi(app, spec_kwargs={"extra_plugins": [OperationsPlugin(app)]})
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"/{runtime.name}{blueprint.url_prefix or ''}")
    app.register_blueprint(health_blueprint(runtime.name, runtime.db, settings))
    app.register_blueprint(swagger_ui.assets_blueprint(runtime.name))
    errors.register(app)
    if settings.cors_origins:
        CORS(app, origins=list(settings.cors_origins), expose_headers=["ETag", "X-Request-ID", "Location"],
             allow_headers=["Authorization", "Content-Type", "If-Match", "X-Request-ID"])

    @app.before_request
    def start_request():
        g.started = time.perf_counter()
        rid = request.headers.get("X-Request-ID", "")
        rid = rid if 0 < len(rid) <= 128 and rid.isprintable() else str(uuid.uuid4())
        g.request_id = rid
        correlation_id_var.set(rid)
        raise_if_too_large()
        check_access_first(app)  # 401/403 before anything else looks at the request

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if "started" in g:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            REQUEST_LATENCY.labels(runtime.name, request.method, endpoint, response.status_code).observe(
                time.perf_counter() - g.started)
        return response

    return app


def service_app_factory(name: str, title: str, description: str, *, blueprints: str):
    """A service's `create_app(settings=None)`, as gunicorn calls it: refuses an unsafe start, creates the
    indexes, mounts the blueprints ("module:attribute") under `/<name>`."""
    def create_app(settings=None) -> Flask:
        import importlib

        from shared.config import load_settings

        runtime = ServiceRuntime(name, settings or load_settings())
        runtime.refuse_unsafe_start("api")
        runtime.ensure_indexes()
        module, _, attribute = blueprints.partition(":")
        return create_service_app(runtime, title=title, description=description,
                                  blueprints=getattr(importlib.import_module(module), attribute))
    return create_app
