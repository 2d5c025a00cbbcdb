"""People, their roles, and what GDPR gives back."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.registry import rules
from services.registry.schemas.common import SearchText, Department, Email, FederationCode, Phone, Strict, unique_list
from shared.errors import DomainError
from services.registry.events import PersonData
from shared.http.pagination import PageArgs, page_schema
from shared.http.text import SingleLine
from shared.http.schema_fields import RefId

__all__ = ["RoleCreate", "RoleEnd", "PersonWrite", "PersonCreate", "PersonPatch", "Role", "Person", "PersonPage",
           "PeopleFilters", "PeopleQuery", "PeopleExportQuery", "PersonExport", "ErasedPerson"]

Name = lambda **kw: SingleLine(validate=validate.Length(min=1, max=100), **kw)  # noqa: E731  (ends in e-mail headers)


class RoleCreate(Strict):
    role = fields.Str(required=True, validate=validate.OneOf(rules.ROLES))
    structure_id = fields.Str(allow_none=True, validate=validate.Length(min=1, max=80),
                              metadata={"description": "Required for structure roles; none for federation roles"})
    start_on = fields.Date(metadata={"description": "Default today"})

    @validates_schema
    def _structure(self, data, **_):
        if "role" in data:
            try:
                rules.check_role(data["role"], data.get("structure_id"))
            except DomainError as exc:
                raise ValidationError(str(exc), field_name=exc.field) from None


class RoleEnd(Strict):
    end_on = fields.Date(metadata={"description": "Default today"})


class PersonWrite(Strict):
    first_name = Name(required=True)
    last_name = Name(required=True)
    email = Email()
    phone = Phone()
    rpps = fields.Str(allow_none=True, metadata={"description": "11 digits"})
    may_email = fields.Bool(metadata={"description": "May the federation e-mail them (default true)"})
    profession = fields.Str(allow_none=True, validate=validate.OneOf(rules.PROFESSIONS))
    employment_status = fields.Str(allow_none=True, validate=validate.OneOf(rules.EMPLOYMENT_STATUSES),
                                   metadata={"description": "A coordinator's employment status"})
    weekly_coordination_hours = fields.Float(allow_none=True, allow_nan=False,
                                             validate=validate.Range(min=0, max=80, error="Entre 0 et 80 heures."))
    coordination_mode = fields.Str(allow_none=True, validate=validate.OneOf(rules.COORDINATION_MODES),
                                   metadata={"description": "Coordinates alone (solo) or in a pair"})
    facilitator_departments = fields.List(Department(), validate=[validate.Length(max=120), unique_list],
                                          metadata={"description": "Departments a facilitator covers"})

    @validates("rpps")
    def _rpps(self, value, **_):
        if value is not None and not rules.rpps_ok(value):
            raise ValidationError("Un numéro RPPS fait 11 chiffres.")


class PersonCreate(PersonWrite):
    federation = FederationCode(metadata={"description": "Defaults to the caller's federation"})
    demo = fields.Bool(metadata={"description": "Invented person (demo data)"})
    roles = fields.List(fields.Nested(RoleCreate), validate=validate.Length(max=50))


class PersonPatch(PersonWrite):
    """Loaded with partial=True. A person may change their own names, e-mail, phone and `may_email`."""


class Role(Schema):
    id = RefId()
    role = fields.Str(required=True)
    structure_id = fields.Str(allow_none=True)
    structure_name = fields.Str(allow_none=True)
    start_on = fields.Date(required=True)
    end_on = fields.Date(allow_none=True)
    active = fields.Bool(required=True)


class Person(PersonData):
    """A person: what the registry publishes of them (`registry.person.*` events), their profile and erasure."""
    rpps = fields.Str(allow_none=True)
    profession = fields.Str(allow_none=True)
    employment_status = fields.Str(allow_none=True)
    weekly_coordination_hours = fields.Float(allow_none=True)
    coordination_mode = fields.Str(allow_none=True)
    facilitator_departments = fields.List(fields.Str())
    roles = fields.List(fields.Nested(Role), required=True)
    erased = fields.Bool(required=True)
    erased_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)

PersonPage = page_schema(Person, "PersonPage")


class PeopleFilters(Strict):
    q = SearchText(metadata={"description": "Words of the name or e-mail"})
    role = fields.Str(validate=validate.OneOf(rules.ROLES), metadata={"description": "Holds this role now"})
    structure_id = fields.Str(validate=validate.Length(min=1, max=80), metadata={"description": "Has a role there now"})
    employment_status = fields.Str(validate=validate.OneOf(rules.EMPLOYMENT_STATUSES))
    coordination_mode = fields.Str(validate=validate.OneOf(rules.COORDINATION_MODES))
    demo = fields.Bool()
    erased = fields.Bool(load_default=False, metadata={"description": "true: erased (anonymised) people too"})
    federation = FederationCode(metadata={"description": "National roles only"})


class PeopleQuery(PageArgs, PeopleFilters):
    pass


class PeopleExportQuery(PeopleFilters):
    pass


class ErasedPerson(Schema):
    id = RefId()
    erased = fields.Bool(required=True)
    erased_on = fields.Date(required=True)
    roles_ended = fields.Int(required=True)


class PersonExport(Schema):
    """Everything the registry holds on one person (GDPR right of access)."""
    person = fields.Nested(Person, required=True)
    structures = fields.List(fields.Dict(), required=True, metadata={"description": "Structures they have a role at"})
    local_groups_contact_of = fields.List(fields.Dict(), required=True)
    changes_made = fields.List(fields.Dict(), required=True,
                               metadata={"description": "Structure status changes recorded as theirs"})
    exported_at = fields.AwareDateTime(required=True)
