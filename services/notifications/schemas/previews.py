"""Previews of the message templates."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notifications.schemas import Strict
from services.notifications.schemas.preferences import CategoryOut


class PreviewQuery(Strict):
    format = fields.Str(validate=validate.OneOf(["json", "html", "text"]), load_default="json")


class Preview(Schema):
    template = fields.Str()
    subject = fields.Str()
    text = fields.Str()
    html = fields.Str()
    ics = fields.Str(allow_none=True)


class TemplateList(Schema):
    templates = fields.List(fields.Str())
    categories = fields.List(fields.Nested(CategoryOut))
