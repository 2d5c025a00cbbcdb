"""HTTP shapes of notifications (marshmallow), one module per resource; flask-smorest builds the OpenAPI
from them. Here: what every resource uses."""
from __future__ import annotations

from marshmallow import RAISE, Schema, validate

FEDERATION = validate.Regexp(r"^[a-z0-9-]{2,40}$")
ID = validate.Length(min=1, max=100)


class Strict(Schema):
    class Meta:
        unknown = RAISE
