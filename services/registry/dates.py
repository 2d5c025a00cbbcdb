"""Dates: MongoDB stores datetimes, the API and events show dates."""
from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()


def to_mongo(value: dt.date | None):
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc) if value else None


def as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value
