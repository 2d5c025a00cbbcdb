"""The OpenAPI document says what the services really answer.

* Errors: `application/problem+json` `{type, title, status, detail, instance, errors}` (RFC 9457), the
  shape `shared.http.errors.problem` sends, instead of flask-smorest's `{code, status, message}`.
* Every operation has an `operationId` (`<blueprint>_<view>[_<method>]`) and a `summary`.
* Access as the code enforces it (`shared.http.routes`): public operations carry `security: []`, guarded
  ones either scheme — `openIdConnect` (the issuer's access tokens: OIDC_ISSUER's discovery) or the
  bearer one (shared-secret JWTs of `maillage token`, dev and tooling) — with their 401 (and 403 when
  roles are needed).
"""
from __future__ import annotations

import http
import threading

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields

from shared.http import errors
from shared.http.routes import required_roles, view_for

PROBLEM = errors.PROBLEM
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER = "bearerAuth"
OIDC = "openIdConnect"
# Compose's Keycloak behind the gateway, when the service is not told its issuer.
DEFAULT_DISCOVERY = "/auth/realms/maillage/.well-known/openid-configuration"
SECURITY_SCHEMES = {BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                             "description": "A shared-secret JWT of `maillage token` (dev, tests, tooling)"}}
# Guarded operations: either scheme.
SECURITY_REQUIREMENT = [{OIDC: []}, {BEARER: []}]


def security_schemes(settings) -> dict:
    """Sign-in with the OpenID Connect issuer the service trusts, and the dev bearer scheme."""
    issuer = getattr(settings, "oidc_issuer", "")
    discovery = (settings.oidc_discovery_url or issuer) if issuer else ""
    if discovery and not discovery.endswith("/.well-known/openid-configuration"):
        discovery = discovery.rstrip("/") + "/.well-known/openid-configuration"
    return {OIDC: {"type": "openIdConnect", "openIdConnectUrl": discovery or DEFAULT_DISCOVERY,
                   "description": "Sign in with OpenID Connect (authorization code + PKCE); send the access "
                                  "token as `Authorization: Bearer <token>`"},
            **SECURITY_SCHEMES}


class ProblemSchema(Schema):
    """An error (RFC 9457 problem details)."""

    type = fields.String(required=True, metadata={"description": "`about:blank`: the status says it all"})
    title = fields.String(required=True, metadata={"description": "What went wrong, in French, e.g. « Données invalides » (422)"})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = fields.String(metadata={"description": "What went wrong, for a person"})
    instance = fields.String(metadata={"description": "The path that answered"})
    errors = fields.Dict(keys=fields.String(), metadata={
        "description": "Messages per field (`name`, `venue.city`…); `_body` / `_query` for the whole body or query"})

    class Meta:
        title = "Problem"
        unknown = INCLUDE  # RFC 9457 allows extension members


class ProblemApi(Api):
    """flask-smorest's Api, answering and documenting errors as problem+json.

    A blueprint's operations enter the document when it is first read (`/<service>/openapi.json`, its
    page, `maillage openapi`), not when the blueprint is registered: writing them is most of an app's
    start (about 90 of the events api's 146 ms, its indexes included), which every gunicorn worker and
    every test pays."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []  # (blueprint, name, parameters) registered, not yet in the document
        self._documenting = threading.RLock()
        self._writing = False
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        """The document, with every registered blueprint's operations (another thread reading it meanwhile
        waits for them; the writing itself reads the document as it goes)."""
        if self._undocumented:
            with self._documenting:
                if self._undocumented and not self._writing:
                    self._writing = True
                    try:
                        while self._undocumented:
                            blueprint, name, parameters = self._undocumented[0]
                            blueprint.register_views_in_doc(self, self._app, self._spec, name=name,
                                                            parameters=parameters)
                            self._spec.tag({"name": name, "description": blueprint.description})
                            self._undocumented.pop(0)
                    finally:
                        self._writing = False
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """flask-smorest's, with the documentation left for `spec` to write."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        with self._documenting:
            self._undocumented.append((blp, name, parameters))

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


class OperationsPlugin(BasePlugin):
    """apispec plugin completing each operation from its Flask view."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        methods = [m for m in operations if m in HTTP_METHODS]
        class_based = hasattr(self.app.view_functions.get(rule.endpoint), "view_class")
        for method in methods:
            operation = operations[method]
            operation.setdefault("operationId", operation_id(rule.endpoint, method, class_based or len(methods) > 1))
            operation.setdefault("summary", _summary(operation, rule.endpoint, method))
            _document_access(operation, required_roles(view_for(self.app, rule.endpoint, method)))
            _document_error_bodies(operation)


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_id(endpoint: str, method: str, with_method: bool) -> str:
    """`webhooks.WebhookOne` + patch → `webhooks_WebhookOne_patch`; `agenda.public_agenda` → `agenda_public_agenda`."""
    base = endpoint.replace(".", "_").replace("-", "_")
    return f"{base}_{method}" if with_method else base


def _summary(operation: dict, endpoint: str, method: str) -> str:
    description = (operation.get("description") or "").strip()
    if description:
        return description.split("\n", 1)[0].rstrip(".")
    words = endpoint.split(".")[-1].replace("_", " ")
    return f"{method.upper()} {words}"


def _document_access(operation: dict, roles) -> None:
    responses = operation.setdefault("responses", {})
    if roles is None:
        operation["security"] = []
        return
    operation["security"] = [dict(r) for r in SECURITY_REQUIREMENT]
    responses.setdefault("401", {"description": "Missing, invalid or expired token",
                                 "content": {PROBLEM: {"schema": PROBLEM_REF}}})
    if roles:
        responses.setdefault("403", {"description": f"Needs one of the roles: {', '.join(sorted(roles))}",
                                     "content": {PROBLEM: {"schema": PROBLEM_REF}}})


def _document_error_bodies(operation: dict) -> None:
    for status, response in (operation.get("responses") or {}).items():
        if isinstance(response, dict) and str(status)[:1] in ("4", "5") and "$ref" not in response \
                and not response.get("content"):
            response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
