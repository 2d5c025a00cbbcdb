"""Events collections, their indexes, and how stored documents are queried."""
from __future__ import annotations

from shared.mongo import Index

EVENTS = "events"
SEATS = "seats"                  # one per event: the seat counters every registration updates atomically
TICKETS = "tickets"              # one per ticket drawn on a seat document: what became of it (tickets.py)
REGISTRATIONS = "registrations"
PEOPLE = "people"                # projection of registry people
STRUCTURES = "structures"        # projection of registry structures
LOCAL_GROUPS = "local_groups"    # projection of registry local groups
REPORTED = "reported_figures"    # figures from the federations' activity reports (seeds)
DECLINES = "declines"            # "je ne pourrai pas venir": one per (event, person), my_space.py

# What a registration keeps once its registrant (a registry person or an outside guest) is erased.
ERASED_PERSONAL_DATA = {"first_name": None, "last_name": None, "email": None, "organization": None, "note": None,
                        "may_email": False, "erased": True}

INDEXES = [
    Index(EVENTS, [("federation", 1), ("starts_at", 1)]),
    Index(EVENTS, [("status", 1), ("starts_at", 1)]),
    Index(EVENTS, [("local_group_id", 1), ("starts_at", 1)]),
    Index(EVENTS, [("series_id", 1), ("starts_at", 1)]),
    Index(EVENTS, [("department", 1), ("starts_at", 1)]),
    Index(EVENTS, [("departments", 1), ("starts_at", 1)]),
    Index(EVENTS, "demo_ref", {"unique": True, "sparse": True, "name": "demo_ref_unique"}),
    Index(SEATS, "federation"),
    Index(TICKETS, "event_id"),
    Index(REGISTRATIONS, "dedup_key", {"unique": True, "name": "one_registration_per_person"}),
    Index(REGISTRATIONS, [("event_id", 1), ("status", 1), ("waitlist_position", 1)]),
    Index(REGISTRATIONS, [("person_id", 1), ("created_at", 1)]),
    Index(PEOPLE, "federation"),
    Index(PEOPLE, "roles.structure_id"),
    Index(STRUCTURES, "federation"),
    Index(LOCAL_GROUPS, "federation"),
    Index(LOCAL_GROUPS, "structure_ids"),
    Index(REPORTED, [("federation", 1), ("year", 1)]),
    Index(DECLINES, [("event_id", 1), ("declined_at", -1)]),
    Index(DECLINES, [("person_id", 1), ("federation", 1)]),
]


def date_range(query: dict, field: str, start, end) -> dict:
    if start is not None or end is not None:
        query[field] = {**({"$gte": start} if start is not None else {}), **({"$lt": end} if end is not None else {})}
    return query


def department_filter(department: str) -> dict:
    """An event of a department: held there, or addressed to several departments including it."""
    return {"$or": [{"department": department}, {"departments": department}]}


def event_filter(scope: dict, args: dict, start=None, end=None) -> dict:
    query = dict(scope)
    for key in ("kind", "status", "local_group_id", "series_id"):
        if args.get(key):
            query[key] = args[key]
    if args.get("department"):
        query.update(department_filter(args["department"]))
    return date_range(query, "starts_at", start, end)
