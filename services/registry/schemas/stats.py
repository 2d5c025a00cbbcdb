"""Key figures (`GET /v1/stats`) and the public map."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.registry.schemas.common import FederationCode, Strict

__all__ = ["StatsQuery", "Stats"]


class StatsQuery(Strict):
    federation = FederationCode(metadata={"description": "National roles only"})
    year = fields.Int(validate=validate.Range(min=2000, max=2100),
                      metadata={"description": "Growth of that year only (structures and coordinators: as of today)"})


class Stats(Schema):
    federation = fields.Str(allow_none=True)
    year = fields.Int(allow_none=True)
    as_of = fields.Date(metadata={"description": "Structures and coordinators are counted as of this day"})
    structures = fields.Dict(required=True, metadata={"description": "total, by_kind, by_status, "
                                                      "by_kind_status_department rows, and creation_date_unknown "
                                                      "(no `created_on`: in no year of `growth`)"})
    growth = fields.List(fields.Dict(), required=True,
                         metadata={"description": "Per year: created (by `created_on`), labellisee, aci, "
                                                  "running total"})
    targets = fields.List(fields.Dict(), required=True,
                          metadata={"description": "Progress against the regional targets of the 4000 MSP plan"})
    coordinators = fields.Dict(required=True, metadata={"description": "Status mix, weekly hours, solo vs pair"})
