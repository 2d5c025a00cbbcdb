"""What the registry publishes (routing key = type without its version)."""
from __future__ import annotations

from marshmallow import Schema, fields

from shared.bus.catalog import EventCatalog

catalog = EventCatalog("registry")


class StructureData(Schema):
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True, metadata={"enum": ["MSP", "CPTS", "CDS", "ESP"]})
    name = fields.Str(required=True)
    city = fields.Str(required=True)
    department = fields.Str(required=True)
    postal_code = fields.Str(allow_none=True)
    finess = fields.Str(allow_none=True)
    siret = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    website = fields.Str(allow_none=True)
    status = fields.Str(required=True, metadata={"enum": ["projet", "labellisee", "aci", "fermee"]})
    labellisee_on = fields.Date(allow_none=True)
    aci_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    version = fields.Int(required=True)


class StructureUpdatedData(StructureData):
    changed = fields.List(fields.Str(), required=True, metadata={"description": "Names of the fields that changed"})


class StructureStatusChangedData(Schema):
    id = fields.Str(required=True)
    federation = fields.Str(required=True)
    kind = fields.Str(required=True)
    name = fields.Str(required=True)
    department = fields.Str(required=True)
    from_ = fields.Str(data_key="from", attribute="from", required=True)
    to = fields.Str(required=True)
    date = fields.Date(required=True)


STRUCTURE_REGISTERED = catalog.event("registry.structure.registered.v1", StructureData,
                                     "A structure entered the registry (full state).")
STRUCTURE_UPDATED = catalog.event("registry.structure.updated.v1", StructureUpdatedData,
                                  "A structure's data changed (full state, and which fields changed).")
STRUCTURE_STATUS_CHANGED = catalog.event("registry.structure.status_changed.v1", StructureStatusChangedData,
                                         "A structure moved in its lifecycle projet → labellisee → aci (or fermee).")
