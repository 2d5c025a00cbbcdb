"""Dates: MongoDB stores datetimes, the API and events show dates."""
from __future__ import annotations

import datetime as dt

from shared.dates import as_date, to_mongo  # noqa: F401 - the registry's date helpers, in one place


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()


