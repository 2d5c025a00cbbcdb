"""What every route module of the events api uses: the store, the settings, public operations, ETags."""
from __future__ import annotations

from shared.http.context import service_db as db, service_settings as settings  # noqa: F401
from shared.http.etag import created  # noqa: F401

PUBLIC = {"security": []}
