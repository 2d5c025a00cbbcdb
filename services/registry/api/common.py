"""What every registry route module needs: the service's database, and answers carrying the ETag."""
from flask import url_for

from shared.http.context import service_db as db  # noqa: F401
from shared.http.etag import created as created_at, tagged  # noqa: F401


def created(doc: dict, endpoint: str | None = None, id_arg: str | None = None) -> tuple:
    """201 with the new resource's ETag, and its Location when `endpoint` names its route."""
    return created_at(doc, url_for(endpoint, **{id_arg: doc["_id"]}) if endpoint else None)
