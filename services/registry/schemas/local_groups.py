"""Local groups of coordinators (APMSL's "44 est", FEMAGE's departmental groups)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.registry.schemas.common import SearchText, Department, FederationCode, Strict, unique_list
from services.registry.events import LocalGroupData
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine

__all__ = ["LocalGroupCreate", "LocalGroupPatch", "LocalGroup", "LocalGroupPage", "LocalGroupQuery", "JoinRequest"]

Ids = lambda **kw: fields.List(fields.Str(validate=validate.Length(min=1, max=80)),  # noqa: E731
                               validate=[validate.Length(max=500), unique_list], **kw)


class LocalGroupWrite(Strict):
    name = SingleLine(required=True, validate=validate.Length(min=2, max=120))
    label = SingleLine(allow_none=True, validate=validate.Length(max=60), metadata={"description": "Short name"})
    department = Department(allow_none=True)
    contact_person_ids = Ids(metadata={"description": "Federation staff who are the group's contacts"})


class LocalGroupCreate(LocalGroupWrite):
    federation = FederationCode(metadata={"description": "Defaults to the caller's federation"})
    structure_ids = Ids(metadata={"description": "Member structures (each leaves its previous group)"})


class LocalGroupPatch(LocalGroupWrite):
    """Loaded with partial=True. Members change through `/structures` of the group."""


class JoinRequest(Strict):
    structure_id = fields.Str(required=True, validate=validate.Length(min=1, max=80))


class LocalGroup(LocalGroupData):
    """A local group: what the registry publishes of it (`registry.local_group.*` events), and its label."""
    label = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)

LocalGroupPage = page_schema(LocalGroup, "LocalGroupPage")


class LocalGroupQuery(PageArgs):
    department = Department()
    structure_id = fields.Str(validate=validate.Length(min=1, max=80), metadata={"description": "Group of this structure"})
    q = SearchText()
    federation = FederationCode(metadata={"description": "National roles only"})
