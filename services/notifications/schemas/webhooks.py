"""Webhooks: a URL, the event types it receives, its signing secret (shown once)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from services.notifications.schemas import FEDERATION, Strict
from shared.http.pagination import PageArgs, page_schema
from shared.http.schema_fields import DocumentId, FederationOf


EVENT_TYPE_PATTERN = r"^(#|(events|training|registry)(\.(\*|#|[a-z_]+)){1,2}(\.v[0-9]+)?)$"


def _event_types(**kw):
    return fields.List(
        fields.Str(validate=validate.Regexp(EVENT_TYPE_PATTERN, error="Un type d'événement ou un motif, par ex. "
                                            "`events.event.published`, `events.registration.*`, `training.#`.")),
        validate=validate.Length(min=1, max=50), **kw)


class _NoPeople(Strict):
    @validates("event_types")
    def _no_people(self, value, **_):
        for pattern in value:
            if pattern.startswith("registry.person"):
                raise ValidationError("Les fiches des personnes ne sont pas envoyées aux webhooks ; choisissez les "
                                      "structures, les groupes locaux, les événements ou la formation.")


class WebhookWrite(_NoPeople):
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=500))
    event_types = _event_types(required=True)
    secret = fields.Str(validate=validate.Length(min=16, max=200), load_only=True,
                        metadata={"description": "Generated when absent; shown once, in the creation answer"})
    description = fields.Str(validate=validate.Length(max=300), allow_none=True)


class WebhookCreate(WebhookWrite):
    federation = fields.Str(validate=FEDERATION, metadata={"description": "Defaults to the caller's federation"})


class WebhookPatch(_NoPeople):
    url = fields.Url(schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=500))
    event_types = _event_types()
    description = fields.Str(validate=validate.Length(max=300), allow_none=True)
    active = fields.Bool(metadata={"description": "true re-enables a hook disabled after a 410"})


class Webhook(Schema):
    id = DocumentId()
    federation = FederationOf()
    url = fields.Str(required=True)
    event_types = fields.List(fields.Str(), required=True)
    description = fields.Str(allow_none=True)
    active = fields.Bool(required=True)
    disabled_reason = fields.Str(allow_none=True)
    version = fields.Int()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class WebhookCreated(Webhook):
    secret = fields.Str(required=True, metadata={"description": "HMAC-SHA256 key of `X-Maillage-Signature`"})


WebhookPage = page_schema(Webhook, "WebhookPage")


class WebhookQuery(PageArgs):
    active = fields.Bool()
    federation = fields.Str(validate=FEDERATION)
