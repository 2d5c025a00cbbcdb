"""HTTP shapes of the registry (marshmallow); flask-smorest builds the OpenAPI from them."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from services.registry import rules
from shared.http.pagination import PageArgs, page_schema

Department = lambda **kw: fields.Str(validate=validate.Regexp(rules.DEPARTMENT_PATTERN,  # noqa: E731
                                     error="Not a French department INSEE code (01…95, 2A, 2B, 971…976)."), **kw)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class StructureWrite(Strict):
    kind = fields.Str(required=True, validate=validate.OneOf(rules.KINDS))
    name = fields.Str(required=True, validate=validate.Length(min=2, max=200))
    city = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    department = Department(required=True)
    postal_code = fields.Str(validate=validate.Regexp(r"^[0-9]{5}$", error="Five digits."), allow_none=True)
    finess = fields.Str(allow_none=True, metadata={"description": "9 characters (department code + 7 digits)"})
    siret = fields.Str(allow_none=True, metadata={"description": "14 digits, Luhn key"})
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = fields.Str(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 .()-]{6,20}$", error="Not a phone number."))
    website = fields.Url(allow_none=True, validate=validate.Length(max=300))
    status = fields.Str(validate=validate.OneOf(rules.STATUSES), load_default="projet")
    status_date = fields.Date(allow_none=True, metadata={"description": "When the status took effect (default today)"})

    @validates("finess")
    def _finess(self, value, **_):
        if value is not None and not rules.finess_ok(value):
            raise ValidationError("FINESS is 9 characters: a department code (or 2A/2B) then 7 digits.")

    @validates("siret")
    def _siret(self, value, **_):
        if value is not None and not rules.siret_ok(value):
            raise ValidationError("SIRET is 14 digits with a valid Luhn key.")


class StructureCreate(StructureWrite):
    federation = fields.Str(validate=validate.Length(min=2, max=40),
                            metadata={"description": "Defaults to the caller's federation"})


class StructurePatch(StructureWrite):
    """Loaded with partial=True: every field optional; `status` moves the lifecycle (allowed transitions only)."""


class StatusChange(Strict):
    date = fields.Date(required=True)
    from_ = fields.Str(data_key="from", attribute="from", allow_none=True)
    to = fields.Str(required=True)
    by = fields.Str()


class Structure(Schema):
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True)
    name = fields.Str(required=True)
    city = fields.Str(required=True)
    department = fields.Str(required=True)
    postal_code = fields.Str(allow_none=True)
    finess = fields.Str(allow_none=True)
    siret = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    website = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    labellisee_on = fields.Date(allow_none=True)
    aci_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    status_history = fields.List(fields.Nested(StatusChange))
    version = fields.Int(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


StructurePage = page_schema(Structure, "StructurePage")


class StructureQuery(PageArgs):
    kind = fields.Str(validate=validate.OneOf(rules.KINDS))
    department = Department()
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    q = fields.Str(validate=validate.Length(min=1, max=100), metadata={"description": "Words of the name or city"})
    federation = fields.Str(validate=validate.Regexp(r"^[a-z0-9-]{2,40}$"),
                            metadata={"description": "National roles only; others see their own federation"})
