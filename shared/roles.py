"""When is a person's role active? One answer for every service."""
from __future__ import annotations

import datetime as dt

from shared.dates import as_date


def role_active_on(role: dict, day: dt.date) -> bool:
    """Active on `day` when it started on or before `day` (start inclusive; no start: always started)
    and has not ended: an end date is the first day it is no longer held (end exclusive; none: open).
    A role that ends today is no longer active today."""
    start, end = as_date(role.get("start_on")), as_date(role.get("end_on"))
    return (start is None or start <= day) and (end is None or day < end)


def active_roles(roles: list[dict] | None, day: dt.date) -> list[dict]:
    return [r for r in roles or [] if role_active_on(r, day)]
