"""`/v1/webhooks`: other systems receive the federation's events, signed (staff)."""
from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from services.notifications import webhooks as use
from services.notifications.api.common import STAFF, db, settings
from services.notifications.schemas.webhooks import Webhook, WebhookCreate, WebhookCreated, WebhookPage, WebhookPatch, \
    WebhookQuery
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import etag_of, expected_version, with_etag

webhooks = Blueprint("webhooks", __name__, url_prefix="/v1/webhooks",
                     description="Other systems receive the federation's events, signed (staff)")


@webhooks.route("")
class Webhooks(MethodView):
    @webhooks.operation(WebhookPage, query=WebhookQuery, roles=STAFF)
    def get(self, args):
        """The federation's webhooks (secrets are never shown again)."""
        return use.list_webhooks(db(), current_principal(), args)

    @webhooks.operation(WebhookCreated, status=201, body=WebhookCreate, roles=STAFF_ROLES)
    def post(self, data):
        """Register a URL for event types (patterns like `events.registration.*`); the answer carries the
        signing secret, once."""
        doc = use.create_webhook(db(), settings(), current_principal(), data)
        return doc, 201, {"ETag": etag_of(doc), "Location": url_for("webhooks.WebhookOne", hook_id=doc["_id"])}


@webhooks.route("/<string:hook_id>")
class WebhookOne(MethodView):
    @webhooks.operation(Webhook, roles=STAFF)
    def get(self, hook_id):
        doc = use.get_webhook(db(), current_principal(), hook_id)
        return with_etag(doc, doc)

    @webhooks.operation(Webhook, body=WebhookPatch, roles=STAFF_ROLES, if_match=True)
    def patch(self, changes, hook_id):
        """Change the URL, the event types, or re-enable (`active: true`) a hook."""
        principal = current_principal()
        current = use.get_webhook(db(), principal, hook_id)
        doc = use.update_webhook(db(), settings(), principal, current, changes, expected_version(current))
        return with_etag(doc, doc)

    @webhooks.operation(status=204, roles=STAFF_ROLES)
    def delete(self, hook_id):
        use.delete_webhook(db(), current_principal(), hook_id)
        return "", 204
