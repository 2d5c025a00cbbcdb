"""What every registry route module needs: the service's database, and answers carrying the ETag."""
from flask import current_app, url_for

from shared.http.etag import with_etag


def db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def tagged(doc: dict) -> tuple:
    """200 with the resource's ETag."""
    return with_etag(doc, doc)


def created(doc: dict, endpoint: str | None = None, id_arg: str | None = None) -> tuple:
    """201 with the new resource's ETag, and its Location when `endpoint` names its route."""
    body, status, headers = with_etag(doc, doc, 201)
    if endpoint:
        headers["Location"] = url_for(endpoint, **{id_arg: doc["_id"]})
    return body, status, headers
