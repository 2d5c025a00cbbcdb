"""The web console under `make dev`: `web/dist` served at `/` with the SPA fallback, and its runtime settings.

* A file of `web/dist` is served as it is (`/assets/…` are content-hashed: cached for a year);
  any other path that is not an API path answers `index.html`, so that `/evenements/<id>` opened from
  an e-mail is a page (web/ROUTES.md). `index.html` is never cached: a new build is seen at once.
* `/console-config.json`: what the console cannot know at build time — the OpenID Connect issuer it signs
  in with (the embedded provider's port is only known at start), its client id, the map's tile URL.
* Not built (no Node.js, or `make web` not run): `/` says what to install and run, in one page.
* `/api` (and `/` asked with `Accept: application/json`) keeps the JSON index of the services' URLs.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, jsonify, request, send_from_directory

WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
CLIENT_ID = "maillage-web"
# OpenStreetMap's tiles by default; TILE_URL="" shows the plain list only (no network map).
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© les contributeurs d’OpenStreetMap"
YEAR = 365 * 24 * 3600

NOT_BUILT = """<!doctype html><html lang="fr"><meta charset="utf-8"><title>Maillage — console non construite</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5">
<h1>La console web n’est pas construite</h1>
<p>Il faut Node.js ≥ 20.19 et npm (<code>apt-get install nodejs npm</code>), puis <code>make web</code>
(ou relancer <code>make dev</code>, qui la construit quand <code>node</code> est présent).</p>
<p>Les API restent disponibles : <a href="/api">/api</a> liste leurs adresses.</p></body></html>"""


def console_config(settings, environ) -> dict:
    tile_url = environ.get("TILE_URL", DEFAULT_TILE_URL)
    return {
        "oidc": {"authority": settings.oidc_issuer or "/auth/realms/maillage", "client_id": CLIENT_ID,
                 "scope": "openid email profile"},
        "map": {"tile_url": tile_url, "attribution": environ.get("TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION)},
    }


def console_app(settings, urls: dict, environ, dist: Path = WEB_DIST) -> Flask:
    """The WSGI app for every path that is not a service's."""
    app = Flask("maillage.console", static_folder=None)

    @app.get("/api")
    def api_index():
        return jsonify(urls)

    @app.get("/console-config.json")
    def config():
        response = jsonify(console_config(settings, environ))
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def page(path: str):
        if path == "" and request.accept_mimetypes.best == "application/json":
            return jsonify(urls)
        if not (dist / "index.html").is_file():
            return Response(NOT_BUILT, status=503, mimetype="text/html")
        if path and (dist / path).is_file():
            response = send_from_directory(dist, path)
            if path.startswith("assets/"):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            return response
        if path.startswith("assets/"):  # a missing asset is a 404, not the page
            return Response("introuvable", status=404, mimetype="text/plain")
        response = send_from_directory(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    return app


def allow_console_origin(provider_app, port: int) -> None:
    """The console (http://127.0.0.1:PORT) reads the embedded provider's discovery, JWKS and token endpoint
    from the browser: another origin (PORT + 1), hence CORS on the provider."""
    from flask_cors import CORS

    CORS(provider_app, origins=[f"http://127.0.0.1:{port}", f"http://localhost:{port}"])
