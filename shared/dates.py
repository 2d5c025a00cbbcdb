"""Dates: MongoDB stores datetimes (UTC midnight for a calendar date); the API and events show dates."""
from __future__ import annotations

import datetime as dt


def as_date(value) -> dt.date | None:
    """A date from what Mongo or an event holds: datetime, date, ISO string, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def to_mongo(value: dt.date | None) -> dt.datetime | None:
    """A calendar date as Mongo stores it: midnight UTC."""
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc) if value else None


def iso_dates(value):
    """`value` (dicts and lists nested) with its dates and datetimes as ISO 8601 text: JSON as people read it
    back (a GDPR export)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    return value
