"""What a route of a service's api reaches for: its database and its settings."""
from __future__ import annotations

from flask import current_app


def service_db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def service_settings():
    return current_app.config["MAILLAGE_SETTINGS"]
