"""Swagger UI served from the pinned `swagger-ui-bundle` package, so `/<service>/docs` works offline.

The page flask-smorest renders at `/<service>/docs` loads its scripts from `docs/assets/` (relative, so it
also works behind a gateway that mounts the service elsewhere).
"""
from __future__ import annotations

from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from shared.errors import NotFound

ASSETS_URL = "docs/assets/"  # relative to the page at /<service>/docs
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-16x16.png", "favicon-32x32.png", "oauth2-redirect.html"})


def assets_blueprint(service: str) -> Blueprint:
    blueprint = Blueprint(f"{service}_swagger_ui", __name__)

    @blueprint.get(f"/{service}/docs/assets/<string:name>")
    def swagger_ui_asset(name: str):
        if name not in ASSETS:
            raise NotFound(detail=f"Fichier {name} introuvable.")
        return send_from_directory(swagger_ui_path, name, max_age=7 * 24 * 3600)

    return blueprint
