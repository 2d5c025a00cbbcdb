"""Structures: what is written, read, listed and filtered."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from services.registry import rules
from services.registry.schemas.common import SearchText, Department, Email, FederationCode, GeoPoint, Phone, Strict, unique_list
from services.registry.events import StructureData
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine

__all__ = ["StructureWrite", "StructureCreate", "StructurePatch", "StructureFilters", "StructureQuery",
           "StatusChange", "Structure", "StructurePage", "ArchiveRequest", "MapQuery", "StructureExportQuery"]



def Year(**kw):  # noqa: N802 - a field factory
    return fields.Int(validate=validate.Range(min=1990, max=2100, error="Une année entre 1990 et 2100."), **kw)


class StructureWrite(Strict):
    kind = fields.Str(required=True, validate=validate.OneOf(rules.KINDS))
    name = SingleLine(required=True, validate=validate.Length(min=2, max=200))
    city = SingleLine(required=True, validate=validate.Length(min=1, max=120))
    department = Department(required=True)
    postal_code = fields.Str(validate=validate.Regexp(r"^[0-9]{5}$", error="Cinq chiffres."), allow_none=True)
    address = fields.Str(allow_none=True, validate=validate.Length(min=1, max=300),
                         metadata={"description": "Street address (city and postal code apart)"})
    insee_code = fields.Str(allow_none=True, validate=validate.Regexp(r"^(?:[0-9]{2}|2[AB])[0-9]{3}$",
                            error="Un code INSEE de commune : 5 caractères (44109, 2A004)."),
                            metadata={"description": "The commune (Code officiel géographique); found from city and "
                                                     "department when not given"})
    geo = fields.Nested(GeoPoint, allow_none=True,
                        metadata={"description": "Where to pin it on the map: its commune's centre when not given; "
                                                 "a point (or null) sent by staff is a correction that sticks"})
    finess = fields.Str(allow_none=True, metadata={"description": "9 characters (department code + 7 digits)"})
    siret = fields.Str(allow_none=True, metadata={"description": "14 digits, Luhn key"})
    email = Email()
    phone = Phone()
    website = fields.Url(allow_none=True, validate=validate.Length(max=300))
    multi_site = fields.Bool(metadata={"description": "Works on several sites"})
    created_on = fields.Date(allow_none=True, metadata={"description": "When the team was created"})
    membership_years = fields.List(Year(), validate=[validate.Length(max=100), unique_list],
                                   metadata={"description": "Years the structure was a member (adhérent)"})
    professionals = fields.Dict(
        keys=fields.Str(validate=validate.OneOf(rules.PROFESSIONS)),
        values=fields.Int(validate=validate.Range(min=0, max=10_000, error="Un nombre entre 0 et 10000.")),
        metadata={"description": "Number of professionals by profession"})
    status = fields.Str(validate=validate.OneOf(rules.STATUSES), load_default="projet")
    status_date = fields.Date(allow_none=True, metadata={"description": "When the status took effect (default today)"})

    @validates("finess")
    def _finess(self, value, **_):
        if value is not None and not rules.finess_ok(value):
            raise ValidationError("Un numéro FINESS fait 9 caractères : un code de département (ou 2A/2B) puis 7 chiffres.")

    @validates("siret")
    def _siret(self, value, **_):
        if value is not None and not rules.siret_ok(value):
            raise ValidationError("Un SIRET fait 14 chiffres avec une clé de Luhn valide.")


class StructureCreate(StructureWrite):
    federation = FederationCode(metadata={"description": "Defaults to the caller's federation"})


class StructurePatch(StructureWrite):
    """Loaded with partial=True: every field optional; `status` moves the lifecycle (allowed transitions only).

    A structure's coordinator may send only `email`, `phone`, `website` and `address`."""


class ArchiveRequest(Strict):
    archived_on = fields.Date(metadata={"description": "Default today"})


class StatusChange(Strict):
    date = fields.Date(required=True)
    from_ = fields.Str(data_key="from", attribute="from", allow_none=True)
    to = fields.Str(required=True)
    by = fields.Str()


class Structure(StructureData):
    """A structure: what the registry publishes of it (`registry.structure.*` events), and its history."""
    region = fields.Str(allow_none=True)
    geo = fields.Nested(GeoPoint, allow_none=True)
    insee_code = fields.Str(allow_none=True, metadata={"description": "Its commune's INSEE code"})
    geo_source = fields.Str(allow_none=True, metadata={
        "enum": ["geocoded", "given", "corrected", None],
        "description": "geocoded: its commune's centre; given: sent at registration; corrected: set by staff"})
    geo_precision = fields.Str(allow_none=True, metadata={
        "enum": ["commune", "commune_deleguee", "code_postal", "arrondissement", "departement", None],
        "description": "For a geocoded point: the commune's own place, or a mean of its postal code's or area's "
                       "communes (approximate)"})
    status_history = fields.List(fields.Nested(StatusChange))
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)

StructurePage = page_schema(Structure, "StructurePage")


class StructureFilters(Strict):
    kind = fields.Str(validate=validate.OneOf(rules.KINDS))
    department = Department()
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    q = SearchText(metadata={"description": "Words of the name or city"})
    federation = FederationCode(metadata={"description": "National roles only; others see their own federation"})
    local_group_id = fields.Str(validate=validate.Length(min=1, max=80))
    member_year = Year()
    multi_site = fields.Bool()
    archived = fields.Bool(load_default=False,
                           metadata={"description": "true: archived structures are listed too (flagged `archived`)"})


class StructureQuery(PageArgs, StructureFilters):
    pass


class StructureExportQuery(StructureFilters):
    pass


class MapQuery(Strict):
    federation = FederationCode()
    kind = fields.Str(validate=validate.OneOf(rules.KINDS))
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    department = Department()
