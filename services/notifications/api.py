"""Notifications HTTP routes (`/notifications/v1/...`)."""
from __future__ import annotations

from flask import Response, current_app, request, url_for
from flask.views import MethodView
from markupsafe import escape

from services.notifications import rules, schemas, service, templating
from shared.http.auth import NATIONAL, STAFF_ROLES, current_principal, requires
from shared.http.blueprint import Blueprint
from shared.http.errors import NotFound
from shared.http.etag import etag_of, expected_version

STAFF = (*STAFF_ROLES, NATIONAL)

deliveries = Blueprint("deliveries", __name__, url_prefix="/v1/deliveries",
                       description="Delivery log: every message (e-mail, webhook) and each attempt (staff)")
preferences = Blueprint("preferences", __name__, url_prefix="/v1/preferences",
                        description="What each person agrees to receive, per category")
unsubscribe = Blueprint("unsubscribe", __name__, url_prefix="/v1/unsubscribe",
                        description="Signed unsubscribe links from e-mails (public, RFC 8058 one-click)")
webhooks = Blueprint("webhooks", __name__, url_prefix="/v1/webhooks",
                     description="Other systems receive the federation's events, signed (staff)")
previews = Blueprint("previews", __name__, url_prefix="/v1",
                     description="Templates rendered with sample data (staff)")


def _db():
    return current_app.config["MAILLAGE_RUNTIME"].db


def _settings():
    return current_app.config["MAILLAGE_SETTINGS"]


# --- delivery log ---------------------------------------------------------------------------------


@deliveries.route("")
class Deliveries(MethodView):
    @deliveries.arguments(schemas.DeliveryQuery, location="query")
    @deliveries.response(200, schemas.DeliveryPage)
    @requires(*STAFF)
    def get(self, args):
        """The delivery log, newest first; filter by status, channel, person, event type, template,
        category, webhook, date range."""
        return service.list_deliveries(_db(), current_principal(), args)


@deliveries.route("/<string:delivery_id>")
class DeliveryOne(MethodView):
    @deliveries.response(200, schemas.DeliveryDetail)
    @requires(*STAFF)
    def get(self, delivery_id):
        """One delivery with its message and every attempt."""
        return service.get_delivery(_db(), current_principal(), delivery_id)


@deliveries.route("/<string:delivery_id>/retry")
class DeliveryRetry(MethodView):
    @deliveries.response(200, schemas.DeliveryDetail)
    @deliveries.alt_response(409, description="Only failed or retrying deliveries can be retried")
    @requires(*STAFF_ROLES)
    def post(self, delivery_id):
        """Send a failed (or retrying) delivery again now."""
        return service.retry_delivery(_db(), current_principal(), delivery_id)


# --- preferences ------------------------------------------------------------------------------------


@preferences.route("/<string:person_id>")
class PreferencesOne(MethodView):
    @preferences.response(200, schemas.Preferences)
    @requires()
    def get(self, person_id):
        """A person's preferences (the person themself, or staff of their federation)."""
        return service.get_preferences(_db(), current_principal(), person_id)

    @preferences.arguments(schemas.PreferencesWrite)
    @preferences.response(200, schemas.Preferences)
    @requires()
    def put(self, data, person_id):
        """Replace the categories a person switched off (critical ones cannot be)."""
        return service.set_preferences(_db(), current_principal(), person_id, data["opted_out"])


# --- unsubscribe (public) -------------------------------------------------------------------------------

_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Désinscription</title></head>
<body style="font-family: Arial, sans-serif; max-width: 560px; margin: 40px auto;">{body}</body></html>"""


@unsubscribe.route("")
class Unsubscribe(MethodView):
    @unsubscribe.arguments(schemas.UnsubscribeQuery, location="query")
    @unsubscribe.response(200)
    def get(self, args):
        """A page asking to confirm (a link opened by a mail scanner changes nothing)."""
        info = service.describe_token(_settings(), args["token"])
        body = (f"<h1>Se désinscrire</h1><p>Ne plus recevoir {escape(info['label'])} ?</p>"
                f"<form method='post' action='?token={escape(args['token'])}'>"
                "<button type='submit'>Confirmer la désinscription</button></form>"
                "<p style='color:#666'>Les annulations et changements de date vous seront toujours envoyés.</p>")
        return Response(_PAGE.format(body=body), mimetype="text/html")

    @unsubscribe.arguments(schemas.UnsubscribeQuery, location="query")
    @unsubscribe.response(200, schemas.UnsubscribeResult)
    def post(self, args):
        """Apply the link: that category (or every non-critical one) is switched off."""
        result = service.unsubscribe(_db(), _settings(), args["token"])
        if request.accept_mimetypes.best == "text/html":
            return Response(_PAGE.format(body=f"<h1>C'est fait</h1><p>Vous ne recevrez plus "
                                              f"{escape(result['label'])}.</p>"), mimetype="text/html")
        return result


# --- webhooks -------------------------------------------------------------------------------------------


@webhooks.route("")
class Webhooks(MethodView):
    @webhooks.arguments(schemas.WebhookQuery, location="query")
    @webhooks.response(200, schemas.WebhookPage)
    @requires(*STAFF)
    def get(self, args):
        """The federation's webhooks (secrets are never shown again)."""
        return service.list_webhooks(_db(), current_principal(), args)

    @webhooks.arguments(schemas.WebhookCreate)
    @webhooks.response(201, schemas.WebhookCreated)
    @requires(*STAFF_ROLES)
    def post(self, data):
        """Register a URL for event types (patterns like `events.registration.*`); the answer carries the
        signing secret, once."""
        doc = service.create_webhook(_db(), _settings(), current_principal(), data)
        return doc, 201, {"ETag": etag_of(doc), "Location": url_for("webhooks.WebhookOne", hook_id=doc["_id"])}


@webhooks.route("/<string:hook_id>")
class WebhookOne(MethodView):
    @webhooks.response(200, schemas.Webhook)
    @requires(*STAFF)
    def get(self, hook_id):
        doc = service.get_webhook(_db(), current_principal(), hook_id)
        return doc, 200, {"ETag": etag_of(doc)}

    @webhooks.arguments(schemas.WebhookPatch)
    @webhooks.response(200, schemas.Webhook)
    @webhooks.alt_response(412, description="If-Match does not match the current ETag")
    @requires(*STAFF_ROLES)
    def patch(self, changes, hook_id):
        """Change the URL, the event types, or re-enable (`active: true`) a hook."""
        principal = current_principal()
        current = service.get_webhook(_db(), principal, hook_id)
        doc = service.update_webhook(_db(), _settings(), principal, hook_id, changes, expected_version(current))
        return doc, 200, {"ETag": etag_of(doc)}

    @webhooks.response(204)
    @requires(*STAFF_ROLES)
    def delete(self, hook_id):
        service.delete_webhook(_db(), current_principal(), hook_id)
        return "", 204


# --- previews -----------------------------------------------------------------------------------------


@previews.route("/templates")
class Templates(MethodView):
    @previews.response(200, schemas.TemplateList)
    @requires(*STAFF)
    def get(self):
        """The message templates and the preference categories."""
        return {"templates": templating.template_names(),
                "categories": [{"category": c, "label": rules.CATEGORY_LABELS[c], "enabled": True,
                                "critical": c in rules.CRITICAL} for c in rules.CATEGORIES]}


@previews.route("/preview/<string:template>")
class PreviewOne(MethodView):
    @previews.arguments(schemas.PreviewQuery, location="query")
    @previews.response(200, schemas.Preview)
    @requires(*STAFF)
    def get(self, args, template):
        """A template rendered with sample data (`?format=html` or `text` for the body alone)."""
        principal = current_principal()
        try:
            out = service.preview(_settings(), template, principal.federation)
        except templating.UnknownTemplate:
            raise NotFound(f"template {template}") from None
        if args["format"] == "html":
            return Response(out["html"], mimetype="text/html")
        if args["format"] == "text":
            return Response(out["text"], mimetype="text/plain")
        return out


BLUEPRINTS = [deliveries, preferences, unsubscribe, webhooks, previews]

