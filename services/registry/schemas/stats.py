"""Key figures (`GET /v1/stats`) and the public map."""
from __future__ import annotations

from marshmallow import Schema, fields

from services.registry.schemas.common import FederationCode, Strict

__all__ = ["StatsQuery", "Stats"]


class StatsQuery(Strict):
    federation = FederationCode(metadata={"description": "National roles only"})


class Stats(Schema):
    federation = fields.Str(allow_none=True)
    structures = fields.Dict(required=True, metadata={"description": "total, by_kind, by_status, and "
                                                      "by_kind_status_department rows"})
    growth = fields.List(fields.Dict(), required=True,
                         metadata={"description": "Per year: created, labellisee, aci, running total"})
    targets = fields.List(fields.Dict(), required=True,
                          metadata={"description": "Progress against the regional targets of the 4000 MSP plan"})
    coordinators = fields.Dict(required=True, metadata={"description": "Status mix, weekly hours, solo vs pair"})
