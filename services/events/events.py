"""What the events service publishes (routing key = type without its version).

Registration events carry what notifications needs to e-mail the person without calling back:
who (person id, name, e-mail, may_email) and the event (title, start/end, time zone, venue, video link).
"""
from __future__ import annotations

from marshmallow import Schema, fields

from shared.bus.catalog import EventCatalog
from shared.http.schema_fields import DocumentId, FederationOf, VersionOf

SOURCE = "events"
catalog = EventCatalog(SOURCE)


class VenueData(Schema):
    name = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    postal_code = fields.Str(allow_none=True)
    city = fields.Str(allow_none=True)
    department = fields.Str(allow_none=True)


class SpeakerData(Schema):
    name = fields.Str(required=True)
    organization = fields.Str(allow_none=True)
    topic = fields.Str(allow_none=True)


class AudienceData(Schema):
    local_group_ids = fields.List(fields.Str(), required=True)
    structure_kinds = fields.List(fields.Str(), required=True)
    roles = fields.List(fields.Str(), required=True)


class FacilitationData(Schema):
    type = fields.Str(required=True, metadata={"enum": ["awareness", "advice", "complex"]})
    structure_ids = fields.List(fields.Str(), required=True)
    facilitator_ids = fields.List(fields.Str(), required=True)
    territorial_coordinator_id = fields.Str(allow_none=True)


class EventSummary(Schema):
    """The event as a registrant's e-mail (and its .ics) shows it."""
    id = DocumentId()
    kind = fields.Str(required=True)
    title = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True, metadata={"description": "UTC"})
    ends_at = fields.AwareDateTime(required=True, metadata={"description": "UTC"})
    timezone = fields.Str(required=True, metadata={"description": "Shown in this zone (Europe/Paris)"})
    format = fields.Str(required=True, metadata={"enum": ["in_person", "video", "hybrid"]})
    venue = fields.Nested(VenueData, allow_none=True)
    video_link = fields.Str(allow_none=True)
    status = fields.Str(required=True)
    version = VersionOf()


class EventData(EventSummary):
    """Full state of an event."""
    federation = FederationOf()
    theme = fields.Str(allow_none=True)
    agenda_items = fields.List(fields.Str(), required=True)
    department = fields.Str(allow_none=True)
    territory = fields.Str(allow_none=True)
    local_group_id = fields.Str(allow_none=True)
    series_id = fields.Str(allow_none=True)
    host_structure_id = fields.Str(allow_none=True)
    audience = fields.Nested(AudienceData, required=True)
    speakers = fields.List(fields.Nested(SpeakerData), required=True)
    capacity = fields.Int(allow_none=True)
    min_participants = fields.Int(allow_none=True)
    minimum_deadline = fields.AwareDateTime(allow_none=True)
    registration_deadline = fields.AwareDateTime(allow_none=True)
    cancellation_deadline = fields.AwareDateTime(allow_none=True)
    requires_approval = fields.Bool(required=True)
    facilitation = fields.Nested(FacilitationData, allow_none=True)
    organizer_ids = fields.List(fields.Str(), required=True)
    cancel_reason = fields.Str(allow_none=True)


class Recipient(Schema):
    """Someone to tell: a registrant (person of the registry, or an outside guest)."""
    registration_id = fields.Str(required=True)
    person_id = fields.Str(allow_none=True)
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    may_email = fields.Bool(required=True)
    status = fields.Str(required=True)


class EventPublishedData(EventData):
    pass


class PreviousPlacement(Schema):
    """Where and when a rescheduled event was before."""
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    format = fields.Str(required=True)
    venue = fields.Nested(VenueData, allow_none=True)
    video_link = fields.Str(allow_none=True)


class EventRescheduledData(EventData):
    changed = fields.List(fields.Str(), required=True, metadata={"description": "Time/place fields that changed"})
    previous = fields.Nested(PreviousPlacement, required=True)
    recipients = fields.List(fields.Nested(Recipient), required=True)


class EventCancelledData(EventData):
    recipients = fields.List(fields.Nested(Recipient), required=True,
                             metadata={"description": "Everyone registered, waitlisted or awaiting approval"})


class EventHeldData(EventData):
    registered = fields.Int(required=True)
    attended = fields.Int(required=True)
    absent = fields.Int(required=True)


class EventUpdatedData(EventData):
    changed = fields.List(fields.Str(), required=True)


class EventInvitedData(EventData):
    invited = fields.Nested(AudienceData, required=True,
                            metadata={"description": "Who is invited now (each given dimension to match, as in "
                                                     "`audience`); those of them invited already are not again"})


class MinimumNotReachedData(EventData):
    taken = fields.Int(required=True, metadata={"description": "Seats taken when the minimum was checked"})


class RegistrationData(Schema):
    id = DocumentId()
    event_id = fields.Str(required=True)
    federation = FederationOf()
    person_id = fields.Str(allow_none=True, metadata={"description": "Registry person id (null for a guest)"})
    guest = fields.Bool(required=True)
    first_name = fields.Str(allow_none=True)
    last_name = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    may_email = fields.Bool(required=True)
    status = fields.Str(required=True, metadata={"enum": ["registered", "waitlisted", "awaiting_approval",
                                                           "cancelled", "rejected", "attended", "absent"]})
    previous_status = fields.Str(allow_none=True)
    waitlist_position = fields.Int(allow_none=True)
    reason = fields.Str(allow_none=True)
    event = fields.Nested(EventSummary, required=True)
    version = VersionOf()


class RegistrationConfirmedData(RegistrationData):
    pass


class RegistrationWaitlistedData(RegistrationData):
    pass


class RegistrationAwaitingData(RegistrationData):
    pass


class RegistrationPromotedData(RegistrationData):
    pass


class RegistrationCancelledData(RegistrationData):
    pass


class RegistrationApprovedData(RegistrationData):
    pass


class RegistrationRejectedData(RegistrationData):
    pass


class AttendanceRecordedData(RegistrationData):
    pass


class GuestErasedData(Schema):
    federation = FederationOf()
    email_sha256 = fields.Str(required=True, metadata={"description": "SHA-256 of the guest's lower-cased e-mail "
                                                                      "(the address itself is not published)"})
    registrations = fields.Int(required=True, metadata={"description": "Registrations purged"})


EVENT_PUBLISHED = catalog.event("events.event.published.v1", EventPublishedData,
                                "An event was published: it is in the agenda and open for registrations.")
EVENT_UPDATED = catalog.event("events.event.updated.v1", EventUpdatedData,
                              "A published event's details changed (not its time or place).")
EVENT_INVITED = catalog.event("events.event.invited.v1", EventInvitedData,
                              "More people were invited to a published event; those of them not invited yet are "
                              "to get the invitation.")
EVENT_RESCHEDULED = catalog.event("events.event.rescheduled.v1", EventRescheduledData,
                                  "A published event's time or place changed; registrations are kept.")
EVENT_CANCELLED = catalog.event("events.event.cancelled.v1", EventCancelledData,
                                "An event was cancelled (with its reason); everyone registered is to be told.")
EVENT_HELD = catalog.event("events.event.held.v1", EventHeldData, "An event took place (with its attendance).")
MINIMUM_NOT_REACHED = catalog.event("events.event.minimum_not_reached.v1", MinimumNotReachedData,
                                    "Go / no-go: the minimum of participants is not reached by its date; "
                                    "the organizers are to be warned.")
REGISTRATION_CONFIRMED = catalog.event("events.registration.confirmed.v1", RegistrationConfirmedData,
                                       "A person has a seat at an event.")
REGISTRATION_WAITLISTED = catalog.event("events.registration.waitlisted.v1", RegistrationWaitlistedData,
                                        "The event is full: the person is on the waiting list (with a position).")
REGISTRATION_AWAITING = catalog.event("events.registration.awaiting_approval.v1", RegistrationAwaitingData,
                                      "A registration waits for the organizers' approval.")
REGISTRATION_PROMOTED = catalog.event("events.registration.promoted.v1", RegistrationPromotedData,
                                      "A seat freed: the first waitlisted person now has it.")
REGISTRATION_CANCELLED = catalog.event("events.registration.cancelled.v1", RegistrationCancelledData,
                                       "A registration was cancelled (by the person or the organizers).")
REGISTRATION_APPROVED = catalog.event("events.registration.approved.v1", RegistrationApprovedData,
                                      "The organizers approved a registration (status: registered or waitlisted).")
REGISTRATION_REJECTED = catalog.event("events.registration.rejected.v1", RegistrationRejectedData,
                                      "The organizers rejected a registration.")
ATTENDANCE_RECORDED = catalog.event("events.attendance.recorded.v1", AttendanceRecordedData,
                                    "Check-in: a registrant attended or was absent.")
GUEST_ERASED = catalog.event("events.guest.erased.v1", GuestErasedData,
                             "An outside guest was erased (by staff or through their signed link): purge every "
                             "copy of the address whose SHA-256 is given, in that federation.")


# --- the data of what it publishes ------------------------------------------------------------------

def event_state(event: dict) -> dict:
    """The full state published in event.* events (schemas drop what they don't document)."""
    return {**event, "agenda_items": event.get("agenda_items") or [], "speakers": event.get("speakers") or [],
            "audience": event.get("audience") or {"local_group_ids": [], "structure_kinds": [], "roles": []},
            "organizer_ids": event.get("organizer_ids") or [], "requires_approval": bool(event.get("requires_approval"))}


def recipient(registration: dict) -> dict:
    return {"registration_id": registration["_id"],
            **{k: registration.get(k) for k in ("person_id", "first_name", "last_name", "email")},
            "may_email": bool(registration.get("may_email")), "status": registration["status"]}


def registration_payload(registration: dict, event: dict, previous_status: str | None = None,
                         reason: str | None = None) -> dict:
    return {**registration, "may_email": bool(registration.get("may_email")), "previous_status": previous_status,
            "reason": reason, "event": event_state(event)}
