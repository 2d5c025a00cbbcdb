"""Domain rules of events and registrations: plain functions, no Flask, Mongo or RabbitMQ."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shared.errors import Invalid, RuleBroken

KINDS = ("local_group_meeting", "regional_day", "seminar", "webinar", "facilitation", "partner_meeting",
         "training_day")
FORMATS = ("in_person", "video", "hybrid")
STATUSES = ("draft", "published", "held", "cancelled")
# draft → published → (held | cancelled with a reason); a draft may also be dropped (cancelled).
TRANSITIONS = {
    "draft": {"published", "cancelled"},
    "published": {"held", "cancelled"},
    "held": set(),
    "cancelled": set(),
}
FACILITATION_TYPES = ("awareness", "advice", "complex")
STRUCTURE_KINDS = ("MSP", "CPTS", "CDS", "ESP")
AUDIENCE_ROLES = ("coordinator", "leader", "co_gerant", "professional", "facilitator", "federation_staff")

REGISTERED, WAITLISTED, AWAITING = "registered", "waitlisted", "awaiting_approval"
CANCELLED, REJECTED, ATTENDED, ABSENT = "cancelled", "rejected", "attended", "absent"
REGISTRATION_STATUSES = (REGISTERED, WAITLISTED, AWAITING, CANCELLED, REJECTED, ATTENDED, ABSENT)
# Statuses that hold a seat (an attendee or an absentee was registered: the seat was theirs).
SEATED = (REGISTERED, ATTENDED, ABSENT)
# Of a venue, everyone sees the town; the address and the video link are for those with a seat (and the organizers).
PUBLIC_VENUE_FIELDS = ("city", "postal_code", "department")


def public_venue(venue: dict | None) -> dict | None:
    return {k: venue[k] for k in PUBLIC_VENUE_FIELDS if venue.get(k)} or None if venue else None


def with_place_for(event: dict, may_see_place: bool) -> dict:
    """`event` as someone sees it: the whole venue and the video link, or only the town."""
    if may_see_place:
        return event
    return {**event, "venue": public_venue(event.get("venue")), "video_link": None}
DEFAULT_TZ = "Europe/Paris"
# Check-in (attendance) can be recorded from this long before the start.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=12)

# Fields whose change on a published event is a reschedule (people must be told: time or place).
TIME_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("format", "venue", "video_link")


# --- time ---------------------------------------------------------------------------------------

def to_utc(value: dt.datetime, timezone: str = DEFAULT_TZ) -> dt.datetime:
    """A datetime as stored: UTC. A naive one is a wall-clock time in `timezone`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(dt.timezone.utc)


def local(value: dt.datetime | None, timezone: str = DEFAULT_TZ) -> dt.datetime | None:
    """A stored UTC datetime as shown to people (Europe/Paris by default)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(ZoneInfo(timezone))


def local_times(event: dict) -> dict:
    """When an event starts and ends, in its own time zone (as people are shown it)."""
    tz = event.get("timezone") or DEFAULT_TZ
    return {"starts_at_local": local(event["starts_at"], tz), "ends_at_local": local(event["ends_at"], tz)}


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except Exception:  # noqa: BLE001 - any unknown key
        return False


def check_schedule(event: dict) -> None:
    """Times and deadlines of an event hang together."""
    starts, ends = event["starts_at"], event["ends_at"]
    if ends <= starts:
        raise Invalid("L'événement doit finir après son début.", "ends_at")
    if ends - starts > dt.timedelta(days=14):
        raise Invalid("Un événement dure au plus 14 jours.", "ends_at")
    deadline = event.get("registration_deadline")
    if deadline is not None and deadline > ends:
        raise Invalid("Les inscriptions ne peuvent pas fermer après la fin de l'événement.", "registration_deadline")
    cancel_by = event.get("cancellation_deadline")
    if cancel_by is not None and cancel_by > ends:
        raise Invalid("La date limite d'annulation ne peut pas être après la fin de l'événement.", "cancellation_deadline")
    minimum_by = event.get("minimum_deadline")
    if minimum_by is not None and minimum_by > starts:
        raise Invalid("La date limite pour atteindre le minimum doit précéder le début de l'événement.", "minimum_deadline")


def check_format(event: dict) -> None:
    """In person needs a venue, video a link, hybrid both."""
    fmt = event["format"]
    if fmt in ("in_person", "hybrid") and not event.get("venue"):
        raise Invalid(f"Un événement `{fmt}` a besoin d'un lieu.", "venue")
    if fmt in ("video", "hybrid") and not event.get("video_link"):
        raise Invalid(f"Un événement `{fmt}` a besoin d'un lien de visioconférence.", "video_link")


def check_kind_details(event: dict) -> None:
    if event["kind"] == "facilitation":
        facilitation = event.get("facilitation") or {}
        if not facilitation.get("type"):
            raise Invalid("Une facilitation indique son type (awareness, advice, complex).", "facilitation")
        if not facilitation.get("structure_ids"):
            raise Invalid("Une facilitation indique la ou les structures rencontrées.", "facilitation")
    elif event.get("facilitation"):
        raise Invalid("Seules les facilitations portent des détails de facilitation.", "facilitation")
    minimum, capacity = event.get("min_participants"), event.get("capacity")
    if minimum is not None and capacity is not None and minimum > capacity:
        raise Invalid("Le minimum ne peut pas dépasser la capacité.", "min_participants")


AUDIENCE_KEYS = ("local_group_ids", "structure_kinds", "roles")


def audience_of(given: dict) -> dict:
    """An audience with its three lists, each value once in the order given."""
    return {key: list(dict.fromkeys(given.get(key) or [])) for key in AUDIENCE_KEYS}


def check_event(event: dict) -> None:
    """Raises Invalid (422, naming the field) when the event's fields do not hang together."""
    check_schedule(event)
    check_format(event)
    check_kind_details(event)


def check_transition(current: str, target: str) -> None:
    if target == current:
        raise RuleBroken(f"L'événement est déjà au statut `{current}`.", "status")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "aucun"
        raise RuleBroken(f"Un événement `{current}` ne peut pas passer au statut `{target}` ; statuts possibles : "
                         f"{allowed}.", "status")


def check_can_hold(event: dict, now: dt.datetime) -> None:
    check_transition(event["status"], "held")
    if now < event["starts_at"]:
        raise RuleBroken("Un événement ne peut être marqué comme tenu qu'une fois commencé.", "status")


def reschedule_changes(old: dict, new: dict) -> list[str]:
    """The time or place fields that differ (what makes a published event `rescheduled`)."""
    return [f for f in (*TIME_FIELDS, *PLACE_FIELDS) if old.get(f) != new.get(f)]


# --- registrations --------------------------------------------------------------------------------

def registration_refusal(event: dict, now: dt.datetime) -> RuleBroken | None:
    """Why nobody can register now (None when registrations are open)."""
    if event["status"] != "published":
        return RuleBroken(f"Les inscriptions ne sont ouvertes que sur les événements publiés (celui-ci est "
                          f"`{event['status']}`).",
                          "status")
    deadline = event.get("registration_deadline") or event["starts_at"]
    if now > deadline:
        return RuleBroken("Les inscriptions à cet événement sont closes.", "registration_deadline")
    return None


def initial_status(seats: dict, capacity: int | None, requires_approval: bool) -> str:
    """Where a new registration lands: awaiting approval, a seat, or the waiting list."""
    if requires_approval:
        return AWAITING
    return REGISTERED if capacity is None or seats.get("taken", 0) < capacity else WAITLISTED


def seats_to_fill(seats: dict, capacity: int | None) -> int:
    """How many waitlisted people can be promoted now (free seats, bounded by the waiting list)."""
    waiting = seats.get("waitlisted", 0)
    if capacity is None:
        return waiting
    return max(0, min(capacity - seats.get("taken", 0), waiting))


def self_cancel_refusal(event: dict, now: dt.datetime) -> RuleBroken | None:
    deadline = event.get("cancellation_deadline") or event["starts_at"]
    if now > deadline:
        return RuleBroken("La date limite d'annulation est passée ; adressez-vous aux organisateurs.",
                          "cancellation_deadline")
    return None


def check_registration_move(current: str, target: str) -> None:
    allowed = {
        CANCELLED: {REGISTERED, WAITLISTED, AWAITING},
        REJECTED: {AWAITING},
        ATTENDED: {REGISTERED, ABSENT, ATTENDED},
        ABSENT: {REGISTERED, ATTENDED, ABSENT},
        "approved": {AWAITING},
    }[target]
    if current not in allowed:
        verb = {CANCELLED: "annulée", REJECTED: "refusée", ATTENDED: "marquée présente", ABSENT: "marquée absente",
                "approved": "acceptée"}[target]
        raise RuleBroken(f"Une inscription `{current}` ne peut pas être {verb}.", "status")


def seat_delta(before: str | None, after: str | None) -> dict:
    """How the seat counters move when a registration goes from `before` to `after`.

    `taken` counts seats (registered, attended, absent); `attended` and `absent` are the check-in
    figures; `waitlisted` and `awaiting` the queues.
    """
    def buckets(status):
        if status in SEATED:
            return ["taken"] + ([status] if status in (ATTENDED, ABSENT) else [])
        return {WAITLISTED: ["waitlisted"], AWAITING: ["awaiting"]}.get(status, [])

    delta: dict[str, int] = {}
    for status, sign in ((before, -1), (after, +1)):
        for name in buckets(status) if status else []:
            delta[name] = delta.get(name, 0) + sign
    return {k: v for k, v in delta.items() if v}


# --- go / no-go -----------------------------------------------------------------------------------

def minimum_missed(event: dict, seats: dict, now: dt.datetime) -> bool:
    """The minimum number of participants is not reached by its date (and nobody was warned yet)."""
    minimum = event.get("min_participants")
    if not minimum or event["status"] != "published" or event.get("minimum_warned_at"):
        return False
    by = event.get("minimum_deadline") or event["starts_at"]
    return now >= by and seats.get("taken", 0) < minimum


# --- series and figures ---------------------------------------------------------------------------

NEXT_MEETING_COPIED = ("kind", "federation", "title", "theme", "format", "venue", "video_link", "timezone",
                       "department", "territory", "local_group_id", "audience", "host_structure_id", "capacity",
                       "min_participants", "requires_approval", "facilitation")


def next_meeting(previous: dict) -> dict:
    """What the next meeting of a series takes from a held one (dates and agenda are new)."""
    if previous["status"] != "held":
        raise RuleBroken("La rencontre suivante se programme à partir d'une rencontre tenue.", "status")
    if previous.get("next_event_id"):
        raise RuleBroken("La rencontre suivante de celle-ci est déjà programmée.", "next_event_id")
    return {k: previous.get(k) for k in NEXT_MEETING_COPIED}


def participation_rate(attendees: int, invited: int) -> float | None:
    """Attendees / members invited, rounded to 3 decimals (None when nobody was invited)."""
    if invited <= 0:
        return None
    return round(attendees / invited, 3)
