"""The caller's own structures (the web console's "ma structure")."""
from __future__ import annotations

from marshmallow import Schema, fields

from services.registry.schemas.structures import Structure

__all__ = ["MyStructure", "MyStructures"]


class MyStructure(Schema):
    structure = fields.Nested(Structure, required=True)
    editable_fields = fields.List(fields.Str(), required=True, metadata={
        "description": "What they may change with PATCH /v1/structures/{id} (If-Match: its ETag)"})


class MyStructures(Schema):
    items = fields.List(fields.Nested(MyStructure), required=True)
