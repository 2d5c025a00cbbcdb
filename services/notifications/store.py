"""Notifications collections and their indexes.

Projections (fed by events, never by calls): `people`, `structures`, `local_groups` (registry),
`calendar` (events and training seminars: what an .ics and a reminder need), `registrations`
(events), `learners` (training).
Own data: `deliveries` (one per domain event × recipient × channel, with every attempt),
`reminders` (stored schedules), `preferences`, `webhooks`.
"""
from __future__ import annotations

from shared.mongo import Index

PEOPLE = "people"
STRUCTURES = "structures"
LOCAL_GROUPS = "local_groups"
CALENDAR = "calendar"
REGISTRATIONS = "registrations"
LEARNERS = "learners"
DELIVERIES = "deliveries"
REMINDERS = "reminders"
PREFERENCES = "preferences"
WEBHOOKS = "webhooks"

INDEXES = [
    Index(PEOPLE, [("federation", 1), ("deleted", 1)]),
    Index(STRUCTURES, [("federation", 1), ("local_group_id", 1)]),
    Index(LOCAL_GROUPS, [("federation", 1)]),
    Index(CALENDAR, [("federation", 1), ("starts_at", 1)]),
    Index(REGISTRATIONS, [("event_id", 1), ("status", 1)]),
    Index(REGISTRATIONS, [("person_id", 1)]),
    Index(LEARNERS, [("cohort_id", 1), ("status", 1)]),
    Index(LEARNERS, [("person_id", 1)]),
    # The dispatcher's claim: due queued/retrying ones, and `sending` ones whose lease expired.
    Index(DELIVERIES, [("channel", 1), ("status", 1), ("next_attempt_at", 1)]),
    Index(DELIVERIES, [("channel", 1), ("status", 1), ("lease_until", 1)]),
    Index(DELIVERIES, [("federation", 1), ("created_at", -1)]),
    Index(DELIVERIES, [("federation", 1), ("person_id", 1), ("created_at", -1)]),
    Index(DELIVERIES, [("federation", 1), ("event_type", 1), ("created_at", -1)]),
    Index(DELIVERIES, [("federation", 1), ("event_id", 1), ("created_at", -1)]),
    Index(DELIVERIES, [("origin", 1)]),
    Index(REMINDERS, [("status", 1), ("fire_at", 1)]),
    Index(REMINDERS, [("item_id", 1), ("status", 1)]),
    Index(REMINDERS, [("registration_id", 1)]),
    Index(REMINDERS, [("person_id", 1)]),
    Index(WEBHOOKS, [("federation", 1), ("active", 1)]),
]

# Fields of a delivery that hold personal data (purged on erasure; not shown in lists).
PERSONAL_DELIVERY_FIELDS = ("recipient", "message", "ics", "context")
LIST_PROJECTION = {"message": 0, "ics": 0, "payload": 0, "context": 0}
