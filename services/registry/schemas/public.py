"""Public reads (no token): the map's GeoJSON and the directory of local groups."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.registry.schemas.common import Department, FederationCode, SearchText
from shared.http.pagination import PageArgs, page_schema


class MapPoint(Schema):
    type = fields.Str(required=True, metadata={"enum": ["Point"]})
    coordinates = fields.List(fields.Float(), required=True, metadata={"description": "[lon, lat] (WGS 84)"})


class MapProperties(Schema):
    kind = fields.Str(required=True)
    name = fields.Str(required=True)
    city = fields.Str(required=True)
    status = fields.Str(required=True)
    department = fields.Str(required=True)
    federation = fields.Str(required=True)
    labellisee_on = fields.Date(allow_none=True)
    aci_on = fields.Date(allow_none=True)


class MapFeature(Schema):
    type = fields.Str(required=True, metadata={"enum": ["Feature"]})
    id = fields.Str(required=True, metadata={"description": "The structure's id"})
    geometry = fields.Nested(MapPoint, required=True)
    properties = fields.Nested(MapProperties, required=True)


class StructureMap(Schema):
    """GeoJSON FeatureCollection (RFC 7946)."""
    type = fields.Str(required=True, metadata={"enum": ["FeatureCollection"]})
    features = fields.List(fields.Nested(MapFeature), required=True)


class PublicGroupQuery(PageArgs):
    federation = FederationCode()
    department = Department()
    q = SearchText(metadata={"description": "Words of the name"})


class PublicGroup(Schema):
    id = fields.Str(required=True)
    name = fields.Str(required=True)
    label = fields.Str(allow_none=True)
    federation = fields.Str(required=True)
    department = fields.Str(allow_none=True)
    structure_count = fields.Int(required=True, validate=validate.Range(min=0))


PublicGroupPage = page_schema(PublicGroup, "PublicGroupPage")
