"""Which view answers a route, and what access it asks for (read by the auth-first check and the OpenAPI
document alike, so both say the same thing).

`shared.http.auth.requires` marks the views it guards with `required_roles` (a tuple, empty for "any valid
token"); a view without the mark is public.
"""
from __future__ import annotations

from typing import Callable

from flask import request

from shared.http.auth import authorize, current_principal

PUBLIC = None


def view_for(app, endpoint: str | None, method: str) -> Callable | None:
    """The function that handles `method` on `endpoint` (a MethodView's method, or the view itself)."""
    view = app.view_functions.get(endpoint) if endpoint else None
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, method.lower(), None)
    return view


def required_roles(view: Callable | None) -> tuple[str, ...] | None:
    """None for a public view; otherwise the roles it needs (empty: any valid token)."""
    return getattr(view, "required_roles", PUBLIC) if view is not None else PUBLIC


def check_access_first(app) -> None:
    """Before anything reads the request: a bad token is a 401, and a guarded view without a token (or
    without one of its roles) answers 401/403 before its body or query is validated. A CORS preflight
    (OPTIONS) never carries a token and is not asked for one."""
    if request.method == "OPTIONS":
        return
    roles = required_roles(view_for(app, request.endpoint, request.method))
    if roles is not None:
        authorize(roles)
    elif request.headers.get("Authorization"):
        current_principal()
