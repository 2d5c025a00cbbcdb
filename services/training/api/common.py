"""What every training route needs: the service's database and settings, ETags on what it answers."""
from flask import current_app

from shared.http.auth import STAFF_ROLES
from shared.http.etag import expected_version, with_etag

STAFF = tuple(STAFF_ROLES)


def db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def settings():
    return current_app.config["MAILLAGE_SETTINGS"]


def _versioned(doc: dict) -> dict:
    """Use cases answer `id`; the kit's ETag helpers read `_id`."""
    return {"_id": doc["id"], "version": doc["version"]}


def tagged(doc: dict, status: int = 200, location: str | None = None):
    body, status, headers = with_etag(doc, _versioned(doc), status)
    return body, status, {**headers, **({"Location": location} if location else {})}


def expected(doc: dict) -> int:
    """The version an update applies to (If-Match, else the current one)."""
    return expected_version(_versioned(doc))
