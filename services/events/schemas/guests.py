"""Outside guests' erasure (by staff, or through the signed link of their e-mails)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.schemas.common import Strict
from shared.http.schema_fields import FederationOf


class GuestErase(Strict):
    email = fields.Email(required=True, validate=validate.Length(max=254),
                         metadata={"description": "The address the guest was registered with"})


class GuestErasureLink(Strict):
    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000),
                       metadata={"description": "The token of the erasure link sent in the guest's e-mails"})


class GuestErasureQuery(Strict):
    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000))


class GuestErasurePreview(Schema):
    federation = FederationOf()
    email = fields.Str(required=True)
    registrations = fields.Int(required=True, metadata={"description": "Registrations that would be erased"})


class GuestErased(Schema):
    erased = fields.Int(required=True, metadata={"description": "Registrations purged"})
