"""Regions and departments (INSEE, read-only), federations, and each federation's coordination territories."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.registry.schemas.common import Department, Federation, FederationCode, Strict, unique_list
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import DocumentId, FederationOf, VersionOf

__all__ = ["Region", "RegionPage", "DepartmentItem", "DepartmentPage", "DepartmentQuery", "FederationPage",
           "TerritoryCreate", "TerritoryPatch", "Territory", "TerritoryPage", "TerritoryQuery"]


class Region(Schema):
    code = fields.Str(required=True)
    name = fields.Str(required=True)
    overseas = fields.Bool(required=True)


class DepartmentItem(Schema):
    code = fields.Str(required=True)
    name = fields.Str(required=True)
    region = fields.Str(required=True)


RegionPage = page_schema(Region, "RegionPage")
DepartmentPage = page_schema(DepartmentItem, "DepartmentPage")
FederationPage = page_schema(Federation, "FederationPage")


class DepartmentQuery(PageArgs):
    region = fields.Str(validate=validate.Regexp(r"^[0-9]{2}$", error="Un code INSEE de région est attendu (deux chiffres)."))


class TerritoryWrite(Strict):
    name = fields.Str(required=True, validate=validate.Length(min=2, max=120))
    departments = fields.List(Department(), required=True, validate=[validate.Length(min=1, max=120), unique_list])
    kind = fields.Str(validate=validate.OneOf(["coordination", "demarrage"]), load_default="coordination",
                      metadata={"description": "coordination territory, or start-up coordination sector"})


class TerritoryCreate(TerritoryWrite):
    federation = FederationCode()


class TerritoryPatch(TerritoryWrite):
    """Loaded with partial=True."""


class Territory(Schema):
    id = DocumentId()
    federation = FederationOf()
    name = fields.Str(required=True)
    kind = fields.Str(required=True)
    departments = fields.List(fields.Str(), required=True)
    version = VersionOf()


TerritoryPage = page_schema(Territory, "TerritoryPage")


class TerritoryQuery(PageArgs):
    federation = FederationCode(metadata={"description": "National roles only"})
    department = Department(metadata={"description": "Territories covering this department"})
