"""Errors as `application/problem+json` (RFC 9457), with per-field messages; never a stack trace."""
from __future__ import annotations

import logging

from flask import Response, json, request
from flask_smorest import abort as smorest_abort
from werkzeug.exceptions import HTTPException, InternalServerError

from shared.errors import DomainError
from shared.http import french
from shared.logs import log
from shared.mongo import store_unavailable, write_contended

logger = logging.getLogger("maillage.http")
PROBLEM = "application/problem+json"


def abort(status: int, detail: str, errors: dict | None = None):
    smorest_abort(status, message=detail, errors=errors or {})


def problem(status: int, title: str, detail: str | None = None, errors: dict | None = None,
            headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _field_errors(data: dict) -> dict | None:
    """webargs puts messages under their location ({"json": {...}}); clients want the fields."""
    messages = data.get("messages") or data.get("errors")
    if not isinstance(messages, dict):
        return {"_body": messages} if messages else None
    flat: dict = {}
    for location, value in messages.items():
        if location in ("json", "query", "form", "files", "headers", "view_args") and isinstance(value, dict):
            flat.update(value)
        elif location in ("json", "query"):
            flat["_body" if location == "json" else "_query"] = value
        else:
            flat[location] = value
    return flat or None


def handle_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    errors = _field_errors(data)
    detail = data.get("message") or error.description
    if detail == type(error).description:  # werkzeug's own English sentence
        detail = french.DESCRIPTIONS.get(error.code or 500, detail)
    if error.code == 422 and not data.get("message"):
        detail = "Certains champs sont invalides ; voir `errors`."
    if error.code == 400 and errors and "_body" in errors and not data.get("message"):
        detail = "Le corps de la requête n'est pas du JSON valide."
    headers = {}
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(error.code or 500, french.title(error.code or 500, error.name), detail, errors, headers)


def handle_domain_error(error: DomainError) -> Response:
    """Every error of the kit's family, with its own status and title (422 names its field)."""
    errors = {error.field: [error.detail]} if error.field else None
    return problem(int(error.status), error.title, error.detail, errors)


STORE_RETRY_AFTER_SECONDS = 5


def handle_store_unavailable(error: Exception) -> Response:
    """The store is down, unreachable or too slow: tell the client to come back (never a 500)."""
    log(logger, logging.WARNING, "store unavailable", path=request.path, error=repr(error))
    return problem(503, french.title(503),
                   "La base de données est indisponible ou surchargée ; rien n'a été modifié. Réessayez dans un "
                   "instant.",
                   headers={"Retry-After": str(STORE_RETRY_AFTER_SECONDS)})


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    if store_unavailable(error) or write_contended(error):
        return handle_store_unavailable(error)
    log(logger, logging.ERROR, "unhandled error", path=request.path, error=repr(error))
    logger.exception("unhandled error")
    # (`InternalServerError.name` is a property: read on the class it is not a string.)
    return problem(500, french.title(500, InternalServerError().name), french.DESCRIPTIONS[500])


def register(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
