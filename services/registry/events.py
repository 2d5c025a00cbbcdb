"""What the registry publishes (routing key = type without its version).

Every aggregate (structure, person, local group) has its own `version`, carried as the envelope's
`sequence`: a projection applies an event only if its sequence is newer than what it holds.
`registered` / `updated` / `created` events carry the aggregate's full state, so a projection needs
nothing else. Dates are ISO `YYYY-MM-DD`.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from shared.bus.catalog import EventCatalog, EventType
from shared.bus.outbox import Tx
from shared.http.schema_fields import DocumentId, FederationOf, RefId, VersionOf

catalog = EventCatalog("registry")


def emit_state(tx: Tx, event: EventType, doc: dict, data: dict | None = None, *, subject: str | None = None) -> None:
    """`event` about the aggregate `doc`: its id the subject (unless given), its version the sequence, its
    federation the tenant, and its full state the data (unless given)."""
    tx.emit(event, subject=subject or doc["_id"], data=doc if data is None else data, sequence=doc["version"],
            federation=doc["federation"])

STRUCTURE_KINDS = ["MSP", "CPTS", "CDS", "ESP"]
STRUCTURE_STATUSES = ["projet", "labellisee", "aci", "fermee"]
ROLE_NAMES = ["coordinator", "leader", "co_gerant", "professional", "facilitator", "federation_staff"]


class RegistryGeoPoint(Schema):
    """(Named for the registry: nested schemas share one namespace in docs/asyncapi.yaml.)"""

    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class StructureData(Schema):
    id = DocumentId()
    federation = FederationOf()
    kind = fields.Str(required=True, metadata={"enum": STRUCTURE_KINDS})
    name = fields.Str(required=True)
    city = fields.Str(required=True)
    department = fields.Str(required=True)
    postal_code = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True, metadata={"description": "Street address (city and postal code apart)"})
    geo = fields.Nested(RegistryGeoPoint, allow_none=True)
    finess = fields.Str(allow_none=True)
    siret = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    website = fields.Str(allow_none=True)
    multi_site = fields.Bool(required=True)
    created_on = fields.Date(allow_none=True, metadata={"description": "When the team was created"})
    status = fields.Str(required=True, metadata={"enum": STRUCTURE_STATUSES})
    labellisee_on = fields.Date(allow_none=True)
    aci_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    local_group_id = fields.Str(allow_none=True, required=True)
    membership_years = fields.List(fields.Int(), required=True,
                                   metadata={"description": "Years the structure was a member (adhérent) of the federation"})
    professionals = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                                metadata={"description": "Number of professionals by profession"})
    archived = fields.Bool(required=True)
    archived_on = fields.Date(allow_none=True)
    version = VersionOf()


class StructureUpdatedData(StructureData):
    changed = fields.List(fields.Str(), required=True, metadata={"description": "Names of the fields that changed"})


class StructureStatusChangedData(Schema):
    id = RefId()
    federation = FederationOf()
    kind = fields.Str(required=True)
    name = fields.Str(required=True)
    department = fields.Str(required=True)
    from_ = fields.Str(data_key="from", attribute="from", required=True)
    to = fields.Str(required=True)
    date = fields.Date(required=True)


class StructureArchivedData(Schema):
    id = RefId()
    federation = FederationOf()
    archived_on = fields.Date(required=True)


class RegistryPersonRole(Schema):
    id = fields.Str(required=True, metadata={"description": "Id of the role (to end it)"})
    structure_id = fields.Str(allow_none=True, required=True,
                              metadata={"description": "Null for federation staff and facilitators"})
    role = fields.Str(required=True, metadata={"enum": ROLE_NAMES})
    start_on = fields.Date(required=True)
    end_on = fields.Date(allow_none=True, required=True)


class PersonData(Schema):
    id = DocumentId()
    federation = FederationOf()
    first_name = fields.Str(required=True)
    last_name = fields.Str(required=True)
    email = fields.Str(allow_none=True, required=True)
    phone = fields.Str(allow_none=True, required=True)
    may_email = fields.Bool(required=True, metadata={"description": "The person accepts e-mails from the federation"})
    demo = fields.Bool(required=True, metadata={"description": "Invented person of the demo data"})
    roles = fields.List(fields.Nested(RegistryPersonRole), required=True,
                        metadata={"description": "Every role, ended ones included (end_on set)"})
    version = VersionOf()


class PersonRegisteredData(PersonData):
    pass


class PersonUpdatedData(PersonData):
    pass


class PersonErasedData(Schema):
    id = RefId()
    federation = FederationOf()


class RoleChangeData(Schema):
    person_id = fields.Str(required=True)
    role_id = fields.Str(required=True)
    structure_id = fields.Str(allow_none=True, required=True)
    role = fields.Str(required=True, metadata={"enum": ROLE_NAMES})
    start_on = fields.Date(required=True)
    end_on = fields.Date(allow_none=True, required=True)
    federation = FederationOf()


class RoleAssignedData(RoleChangeData):
    pass


class RoleEndedData(RoleChangeData):
    pass


class LocalGroupData(Schema):
    id = DocumentId()
    federation = FederationOf()
    name = fields.Str(required=True)
    department = fields.Str(allow_none=True, required=True)
    structure_ids = fields.List(fields.Str(), required=True)
    contact_person_ids = fields.List(fields.Str(), required=True,
                                     metadata={"description": "Federation staff who are the group's contacts"})
    version = VersionOf()


class LocalGroupCreatedData(LocalGroupData):
    pass


class LocalGroupUpdatedData(LocalGroupData):
    pass


class GroupMembershipData(Schema):
    structure_id = fields.Str(required=True)
    local_group_id = fields.Str(required=True)
    federation = FederationOf()


class StructureJoinedGroupData(GroupMembershipData):
    pass


class StructureLeftGroupData(GroupMembershipData):
    pass


# One schema class per event type: apispec documents each class once.
STRUCTURE_REGISTERED = catalog.event("registry.structure.registered.v1", StructureData,
                                     "A structure entered the registry (full state).")
STRUCTURE_UPDATED = catalog.event("registry.structure.updated.v1", StructureUpdatedData,
                                  "A structure's data changed (full state, and which fields changed).")
STRUCTURE_STATUS_CHANGED = catalog.event("registry.structure.status_changed.v1", StructureStatusChangedData,
                                         "A structure moved in its lifecycle projet → labellisee → aci (or fermee).")
STRUCTURE_ARCHIVED = catalog.event("registry.structure.archived.v1", StructureArchivedData,
                                   "A structure was archived (soft delete; `updated` with full state is also sent).")
PERSON_REGISTERED = catalog.event("registry.person.registered.v1", PersonRegisteredData,
                                  "A person entered the registry (full state, roles included).")
PERSON_UPDATED = catalog.event("registry.person.updated.v1", PersonUpdatedData,
                               "A person's data or roles changed (full state, roles included).")
PERSON_ERASED = catalog.event("registry.person.erased.v1", PersonErasedData,
                              "GDPR erasure: every projection must purge this person.")
ROLE_ASSIGNED = catalog.event("registry.role.assigned.v1", RoleAssignedData,
                              "A person took a role (sequence = the person's version; person.updated is also sent).")
ROLE_ENDED = catalog.event("registry.role.ended.v1", RoleEndedData,
                           "A person's role ended (sequence = the person's version; person.updated is also sent).")
LOCAL_GROUP_CREATED = catalog.event("registry.local_group.created.v1", LocalGroupCreatedData,
                                    "A local group of coordinators was created (full state).")
LOCAL_GROUP_UPDATED = catalog.event("registry.local_group.updated.v1", LocalGroupUpdatedData,
                                    "A local group changed: name, members or contacts (full state).")
STRUCTURE_JOINED_GROUP = catalog.event("registry.structure.joined_group.v1", StructureJoinedGroupData,
                                       "A structure joined a local group (sequence = the group's version).")
STRUCTURE_LEFT_GROUP = catalog.event("registry.structure.left_group.v1", StructureLeftGroupData,
                                     "A structure left a local group (sequence = the group's version).")
