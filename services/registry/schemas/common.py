"""Pieces every registry schema uses."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from services.registry import rules
from shared.http.schema_fields import Department, Email, FederationCode, Phone, Strict  # noqa: F401

__all__ = ["SearchText", "Strict", "Department", "FederationCode", "GeoPoint", "Phone", "Email", "Federation"]


class GeoPoint(Strict):
    lat = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-180, max=180))


class Federation(Schema):
    code = fields.Str(required=True)
    name = fields.Str(required=True)
    full_name = fields.Str(allow_none=True)
    region = fields.Str(required=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    website = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)


def unique_list(values):
    if len(set(values)) != len(values):
        raise ValidationError("Chaque valeur une seule fois.")
    return True


def SearchText(**kw):  # noqa: N802
    """Words to search: at least one letter or digit (`(.*)` is not a search)."""
    return fields.Str(validate=[validate.Length(min=1, max=100), _has_word], **kw)


def _has_word(value: str) -> bool:
    if not rules.normalize(value):
        raise ValidationError("Indiquez au moins un mot à rechercher.")
    return True
