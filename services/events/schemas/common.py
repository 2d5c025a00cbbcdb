"""Shapes every resource of the events service uses: ids, codes, venues, speakers, audiences."""
from __future__ import annotations

from marshmallow import fields, validate

from services.events import rules
from services.events.events import VenueData
from shared.http.schema_fields import Department, FederationCode as Federation, Id, Strict  # noqa: F401 - re-exported to the schemas
from shared.http.text import SingleLine
from shared.references import known_id_description as known

class Venue(Strict):
    name = SingleLine(validate=validate.Length(max=200), allow_none=True)
    address = fields.Str(validate=validate.Length(max=300), allow_none=True)
    postal_code = fields.Str(validate=validate.Regexp(r"^[0-9]{5}$", error="Cinq chiffres."), allow_none=True)
    city = fields.Str(validate=validate.Length(max=120), allow_none=True)
    department = Department(allow_none=True)


class Speaker(Strict):
    name = SingleLine(required=True, validate=validate.Length(min=1, max=200))
    organization = fields.Str(validate=validate.Length(max=200), allow_none=True)
    topic = fields.Str(validate=validate.Length(max=300), allow_none=True)


class Audience(Strict):
    local_group_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=100),
                                  metadata={"description": known("local groups")})
    structure_kinds = fields.List(fields.Str(validate=validate.OneOf(rules.STRUCTURE_KINDS)), load_default=list)
    roles = fields.List(fields.Str(validate=validate.OneOf(rules.AUDIENCE_ROLES)), load_default=list)


class Facilitation(Strict):
    type = fields.Str(required=True, validate=validate.OneOf(rules.FACILITATION_TYPES))
    structure_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20),
                                metadata={"description": known("structures")})
    facilitator_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20),
                                  metadata={"description": known("registry people")})
    territorial_coordinator_id = Id(allow_none=True, metadata={"description": known("a registry person")})


class Empty(Strict):
    pass


class VenueOut(VenueData):
    """A venue as the API shows it (as events publish it)."""
