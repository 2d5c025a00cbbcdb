"""What every training shape shares: strict input, ids, one-line texts, people and places named."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.http.schema_fields import FederationCode, Id, Strict  # noqa: F401

from shared.http.text import SingleLine
from shared.references import known_id_description as known

KINDS = ("MSP", "CPTS", "CDS", "ESP")
Text = lambda n, **kw: SingleLine(validate=validate.Length(min=1, max=n), **kw)  # noqa: E731  (names, titles: one line)
Federation = lambda: FederationCode(  # noqa: E731
    metadata={"description": "National roles only; others see their own federation"})


class TrainerIn(Strict):
    person_id = Id(allow_none=True, metadata={"description": "Registry person id (lets them record attendance). "
                                                             + known("a registry person")})
    name = SingleLine(validate=validate.Length(min=2, max=120), allow_none=True)

    @validates_schema
    def _one(self, data, **_):
        if not data.get("person_id") and not data.get("name"):
            raise ValidationError("Indiquez le person_id ou le nom du formateur.", "person_id")


class Trainer(Schema):
    person_id = fields.Str(allow_none=True)
    name = fields.Str()


class PersonRef(Schema):
    id = fields.Str()
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    may_email = fields.Bool()


class StructureRef(Schema):
    id = fields.Str()
    name = fields.Str(allow_none=True)
    kind = fields.Str(allow_none=True)
    city = fields.Str(allow_none=True)


class ReasonIn(Strict):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=2000))


class OptionalReasonIn(Strict):
    reason = fields.Str(validate=validate.Length(max=2000), allow_none=True)
