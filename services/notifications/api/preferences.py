"""`/v1/preferences/{person_id}`: what a person agrees to receive; `/v1/unsubscribe?token=…`: the signed link of
every e-mail (public; RFC 8058 one-click)."""
from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from markupsafe import escape

from services.notifications import preferences as use
from services.notifications.api.common import db, settings
from services.notifications.schemas.preferences import Preferences, PreferencesWrite, UnsubscribeQuery, \
    UnsubscribeResult
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

preferences = Blueprint("preferences", __name__, url_prefix="/v1/preferences",
                        description="What each person agrees to receive, per category")
unsubscribe = Blueprint("unsubscribe", __name__, url_prefix="/v1/unsubscribe",
                        description="Signed unsubscribe links from e-mails (public, RFC 8058 one-click)")


@preferences.route("/<string:person_id>")
class PreferencesOne(MethodView):
    @preferences.operation(Preferences)
    def get(self, person_id):
        """A person's preferences (the person themself, or staff of their federation)."""
        return use.get_preferences(db(), current_principal(), person_id)

    @preferences.operation(Preferences, body=PreferencesWrite)
    def put(self, data, person_id):
        """Replace the categories a person switched off (critical ones cannot be)."""
        return use.set_preferences(db(), current_principal(), person_id, data["opted_out"])


_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Désinscription</title></head>
<body style="font-family: Arial, sans-serif; max-width: 560px; margin: 40px auto;">{body}</body></html>"""


def _page(body: str) -> Response:
    return Response(_PAGE.format(body=body), mimetype="text/html")


@unsubscribe.route("")
class Unsubscribe(MethodView):
    @unsubscribe.operation(query=UnsubscribeQuery, public=True)
    def get(self, args):
        """A page asking to confirm (a link opened by a mail scanner changes nothing)."""
        info = use.describe_token(settings(), args["token"])
        return _page(f"<h1>Se désinscrire</h1><p>Ne plus recevoir {escape(info['label'])} ?</p>"
                     f"<form method='post' action='?token={escape(args['token'])}'>"
                     "<button type='submit'>Confirmer la désinscription</button></form>"
                     "<p style='color:#666'>Les annulations et changements de date vous seront toujours envoyés.</p>")

    @unsubscribe.operation(UnsubscribeResult, query=UnsubscribeQuery, public=True)
    def post(self, args):
        """Apply the link: that category (or every non-critical one) is switched off."""
        result = use.unsubscribe(db(), settings(), args["token"])
        if request.accept_mimetypes.best == "text/html":
            return _page(f"<h1>C'est fait</h1><p>Vous ne recevrez plus {escape(result['label'])}.</p>")
        return result
