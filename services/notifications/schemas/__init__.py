"""HTTP shapes of notifications (marshmallow), one module per resource; flask-smorest builds the OpenAPI
from them. Here: what every resource uses."""
from __future__ import annotations

from marshmallow import validate

from shared.http.schema_fields import FEDERATION_PATTERN, Strict  # noqa: F401

FEDERATION = validate.Regexp(FEDERATION_PATTERN)
ID = validate.Length(min=1, max=100)
