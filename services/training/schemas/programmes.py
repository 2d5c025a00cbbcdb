"""Programmes: what staff write, what everyone reads."""
from marshmallow import Schema, fields, validate

from services.training.schemas.common import KINDS, Federation, Strict, Text
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine
from shared.http.schema_fields import FederationOf, RefId, VersionOf


class Theme(Strict):
    theme = Text(120, required=True)
    description = fields.Str(validate=validate.Length(max=500), allow_none=True)


class ProgrammeWrite(Strict):
    code = fields.Str(validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,39}$", error="Lettres minuscules, chiffres et tirets."))
    name = Text(120, required=True)
    full_name = SingleLine(validate=validate.Length(max=300), allow_none=True)
    audience = fields.Str(validate=validate.Length(max=300), allow_none=True)
    structure_kinds = fields.List(fields.Str(validate=validate.OneOf(KINDS)), validate=validate.Length(max=4),
                                  metadata={"description": "Who may apply: coordinators of these kinds (empty: any)"})
    certification = fields.Str(validate=validate.Length(max=200), allow_none=True,
                               metadata={"description": "e.g. diplôme de l'EHESP"})
    seminar_themes = fields.List(fields.Nested(Theme), validate=validate.Length(max=30))
    required_deliverables = fields.List(Text(120), validate=validate.Length(max=20),
                                        metadata={"description": "Documents a learner must hand in to be validated"})
    days_per_seminar = fields.Int(validate=validate.Range(min=1, max=5))
    absence_threshold = fields.Int(validate=validate.Range(min=1, max=50),
                                   metadata={"description": "Unexcused absent half-days before a warning"})


class ProgrammePatch(ProgrammeWrite):
    """Loaded with partial=True."""


class Programme(Schema):
    id = RefId()
    federation = FederationOf()
    code = fields.Str(required=True)
    name = fields.Str(required=True)
    full_name = fields.Str(allow_none=True)
    audience = fields.Str(allow_none=True)
    structure_kinds = fields.List(fields.Str())
    certification = fields.Str(allow_none=True)
    seminar_themes = fields.List(fields.Nested(Theme))
    required_deliverables = fields.List(fields.Str())
    days_per_seminar = fields.Int(allow_none=True)
    absence_threshold = fields.Int(allow_none=True)
    version = VersionOf()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


ProgrammePage = page_schema(Programme, "ProgrammePage")


class ProgrammeQuery(PageArgs):
    code = fields.Str(validate=validate.Length(max=40))
    federation = Federation()
