"""What every route module of the events api uses: the store, the settings, public operations, ETags."""
from __future__ import annotations

from flask import current_app

from shared.http.etag import with_etag

PUBLIC = {"security": []}


def db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def settings():
    return current_app.config["MAILLAGE_SETTINGS"]


def created(doc: dict, location: str):
    """A 201 with its Location and the new resource's ETag."""
    body, status, headers = with_etag(doc, doc, 201)
    return body, status, {**headers, "Location": location}
