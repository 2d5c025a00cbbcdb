"""Preferences and the signed unsubscribe links."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from services.notifications import rules
from services.notifications.schemas import Strict


class CategoryOut(Schema):
    category = fields.Str()
    label = fields.Str()
    enabled = fields.Bool()
    critical = fields.Bool()


class Preferences(Schema):
    person_id = fields.Str(required=True)
    federation = fields.Str(allow_none=True)
    opted_out = fields.List(fields.Str(), required=True)
    categories = fields.List(fields.Nested(CategoryOut))
    updated_at = fields.AwareDateTime(allow_none=True)


class PreferencesWrite(Strict):
    opted_out = fields.List(fields.Str(validate=validate.OneOf([*rules.CATEGORIES, rules.ALL])), required=True,
                            validate=validate.Length(max=20),
                            metadata={"description": "Categories switched off (`all`: every non-critical one); "
                                                     "critical ones (cancellation, rescheduling) are refused"})

    @validates("opted_out")
    def _not_critical(self, value, **_):
        critical = sorted(set(value) & rules.CRITICAL)
        if critical:
            raise ValidationError(f"Les catégories essentielles ne peuvent pas être désactivées : {', '.join(critical)}.")


class UnsubscribeQuery(Strict):
    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000))


class UnsubscribeForm(Strict):
    """RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the link."""
    List_Unsubscribe = fields.Str(data_key="List-Unsubscribe", validate=validate.Equal("One-Click"))


class UnsubscribeResult(Schema):
    category = fields.Str()
    label = fields.Str()
    unsubscribed = fields.Bool()
