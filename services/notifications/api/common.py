"""What every route module needs: the service's database and settings, and who reads the staff pages."""
from __future__ import annotations

from shared.http.auth import NATIONAL, STAFF_ROLES
from shared.http.context import service_db as db, service_settings as settings  # noqa: F401

STAFF = (*STAFF_ROLES, NATIONAL)  # read; writes need STAFF_ROLES (national reads, never writes)
