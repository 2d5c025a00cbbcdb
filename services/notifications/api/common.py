"""What every route module needs: the service's database and settings, and who reads the staff pages."""
from __future__ import annotations

from flask import current_app

from shared.http.auth import NATIONAL, STAFF_ROLES

STAFF = (*STAFF_ROLES, NATIONAL)  # read; writes need STAFF_ROLES (national reads, never writes)


def db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def settings():
    return current_app.config["MAILLAGE_SETTINGS"]
