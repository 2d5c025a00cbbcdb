"""A certificate as its public check shows it."""
from marshmallow import Schema, fields


class Certificate(Schema):
    code = fields.Str(required=True)
    valid = fields.Bool(required=True)
    holder_name = fields.Str(allow_none=True)
    programme = fields.Str(required=True)
    certification = fields.Str(allow_none=True)
    cohort = fields.Str(required=True)
    issued_on = fields.Date(required=True)
