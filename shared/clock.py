"""The platform's one clock: every service asks it what time it is, so tests can set it.

    from shared import clock
    clock.now()                      # aware UTC datetime
    clock.today()                    # UTC calendar date
    with clock.frozen_at(moment):    # tests: time stands still at `moment`
    clock.wall_now()                 # the machine's time, never frozen

`now` is the domain's time: what a rule compares with (a registration deadline, a role's end day, a
report's year). `wall_now` is for the mechanics that must keep running while a test holds the domain's
time still: leases, holds, expiries and record stamps of the bus and the seat counters.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen or wall_now()


def wall_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return now().date()


@contextmanager
def frozen_at(moment: dt.datetime):
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous, _frozen = _frozen, moment.astimezone(dt.timezone.utc)
    try:
        yield _frozen
    finally:
        _frozen = previous
