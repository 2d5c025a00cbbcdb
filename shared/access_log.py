"""Gunicorn's access log: one line per request, JSON under LOG_JSON, carrying the request id.

Gunicorn logs each request on `gunicorn.access` with its "atoms" (`h` remote address, `m` method, `U` path,
`s` status, `M` milliseconds, `{x-request-id}o` a response header...) as the record's arguments; the app
sets `X-Request-ID` on every answer, so the access line names the same id as the app's own log lines and
the events the request caused (`correlationid`). The text form (LOG_JSON=false) is gunicorn's
`access_log_format`, in deploy/gunicorn.conf.py.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

from shared.logs import JsonFormatter

REQUEST_ID_ATOM = "{x-request-id}o"


def _atom(atoms: Mapping, key: str):
    value = atoms[key] if key in atoms else None
    return None if value in (None, "-", "") else value


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def access_fields(atoms: Mapping) -> dict:
    request_id = _atom(atoms, REQUEST_ID_ATOM) or _atom(atoms, "{x-request-id}i")
    return {
        "method": _atom(atoms, "m"),
        "path": _atom(atoms, "U"),
        "query": _atom(atoms, "q"),
        "status": _int(_atom(atoms, "s")),
        "bytes": _int(_atom(atoms, "B")),
        "duration_ms": round(_int(_atom(atoms, "D")) / 1000, 3) if _int(_atom(atoms, "D")) is not None else None,
        "remote_addr": _atom(atoms, "h"),
        "user_agent": _atom(atoms, "a"),
        "request_id": request_id,
        "correlation_id": request_id,
    }


class AccessJsonFormatter(JsonFormatter):
    """`{"logger": "gunicorn.access", "message": "GET /registry/v1/structures 200", "status": 200,
    "duration_ms": 4.2, "request_id": "...", ...}`"""

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else {}
        fields = access_fields(atoms)
        line = logging.makeLogRecord(record.__dict__)  # the record may go to other handlers as it came
        line.msg, line.args = " ".join(str(fields[k]) for k in ("method", "path", "status")), None
        line.fields = {**getattr(record, "fields", {}), **fields}
        return super().format(line)
