"""HTTP shapes of notifications (marshmallow); flask-smorest builds the OpenAPI from them."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from services.notifications import rules
from shared.http.pagination import PageArgs, page_schema

FEDERATION = validate.Regexp(r"^[a-z0-9-]{2,40}$")
ID = validate.Length(min=1, max=100)


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Attempt(Schema):
    n = fields.Int()
    at = fields.AwareDateTime()
    outcome = fields.Str(metadata={"enum": ["sent", "error", "suppressed", "retry_requested", "lease_expired"]})
    error = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    message_id = fields.Str(allow_none=True)
    http_status = fields.Int(allow_none=True)
    by = fields.Str(allow_none=True)


class RecipientOut(Schema):
    email = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    url = fields.Str(allow_none=True)


class MessageOut(Schema):
    subject = fields.Str()
    text = fields.Str()
    html = fields.Str()


class Delivery(Schema):
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(allow_none=True)
    channel = fields.Str(required=True, metadata={"enum": list(rules.CHANNELS)})
    status = fields.Str(required=True, metadata={"enum": list(rules.STATUSES)})
    reason = fields.Str(allow_none=True, metadata={"description": "Why it was suppressed"})
    category = fields.Str(allow_none=True)
    template = fields.Str(allow_none=True)
    event_type = fields.Str(allow_none=True, metadata={"description": "Domain event (or notifications.reminder)"})
    origin = fields.Str(allow_none=True, metadata={"description": "Id of the domain event (or reminder firing)"})
    subject_id = fields.Str(allow_none=True, metadata={"description": "Aggregate the event was about"})
    person_id = fields.Str(allow_none=True)
    webhook_id = fields.Str(allow_none=True)
    recipient = fields.Nested(RecipientOut, allow_none=True)
    subject = fields.Function(lambda d: (d.get("message") or {}).get("subject"), allow_none=True)
    message_id = fields.Str(allow_none=True)
    ics_uid = fields.Str(allow_none=True)
    ics_sequence = fields.Int(allow_none=True)
    ics_method = fields.Str(allow_none=True)
    attempt_count = fields.Int()
    attempts = fields.List(fields.Nested(Attempt))
    last_error = fields.Str(allow_none=True)
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    erased = fields.Bool()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)


class DeliveryDetail(Delivery):
    message = fields.Nested(MessageOut, allow_none=True)


DeliveryPage = page_schema(Delivery, "DeliveryPage")


class DeliveryQuery(PageArgs):
    status = fields.Str(validate=validate.OneOf(rules.STATUSES))
    channel = fields.Str(validate=validate.OneOf(rules.CHANNELS))
    person_id = fields.Str(validate=ID)
    event_type = fields.Str(validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)?(\.v[0-9]+)?$"))
    template = fields.Str(validate=validate.Regexp(r"^[a-z_]{1,60}$"))
    category = fields.Str(validate=validate.OneOf([*rules.CATEGORIES, "webhook"]))
    webhook_id = fields.Str(validate=ID)
    subject_id = fields.Str(validate=ID)
    since = fields.AwareDateTime(metadata={"description": "Created at or after (ISO-8601 with offset)"})
    until = fields.AwareDateTime(metadata={"description": "Created before"})
    federation = fields.Str(validate=FEDERATION, metadata={"description": "National roles only"})

    @validates_schema
    def _range(self, data, **_):
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("`until` must be after `since`.", "until")


class CategoryOut(Schema):
    category = fields.Str()
    label = fields.Str()
    enabled = fields.Bool()
    critical = fields.Bool()


class Preferences(Schema):
    person_id = fields.Str(required=True)
    federation = fields.Str(allow_none=True)
    opted_out = fields.List(fields.Str(), required=True)
    categories = fields.List(fields.Nested(CategoryOut))
    updated_at = fields.AwareDateTime(allow_none=True)


class PreferencesWrite(Strict):
    opted_out = fields.List(fields.Str(validate=validate.OneOf([*rules.CATEGORIES, rules.ALL])), required=True,
                            validate=validate.Length(max=20),
                            metadata={"description": "Categories switched off (`all`: every non-critical one); "
                                                     "critical ones (cancellation, rescheduling) are refused"})

    @validates("opted_out")
    def _not_critical(self, value, **_):
        critical = sorted(set(value) & rules.CRITICAL)
        if critical:
            raise ValidationError(f"Critical categories cannot be switched off: {', '.join(critical)}.")


class UnsubscribeQuery(Strict):
    token = fields.Str(required=True, validate=validate.Length(min=10, max=2000))


class UnsubscribeForm(Strict):
    """RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the link."""
    List_Unsubscribe = fields.Str(data_key="List-Unsubscribe", validate=validate.Equal("One-Click"))


class UnsubscribeResult(Schema):
    category = fields.Str()
    label = fields.Str()
    unsubscribed = fields.Bool()


EVENT_TYPE_PATTERN = r"^(#|(events|training|registry)(\.(\*|#|[a-z_]+)){1,2}(\.v[0-9]+)?)$"


def _event_types(**kw):
    return fields.List(
        fields.Str(validate=validate.Regexp(EVENT_TYPE_PATTERN, error="An event type or pattern, e.g. "
                                            "`events.event.published`, `events.registration.*`, `training.#`.")),
        validate=validate.Length(min=1, max=50), **kw)


class _NoPeople(Strict):
    @validates("event_types")
    def _no_people(self, value, **_):
        for pattern in value:
            if pattern.startswith("registry.person"):
                raise ValidationError("People's records are not sent to webhooks; choose structures, local groups, "
                                      "events or training.")


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
    id = fields.Str(attribute="_id", required=True)
    federation = fields.Str(required=True)
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


class PreviewQuery(Strict):
    format = fields.Str(validate=validate.OneOf(["json", "html", "text"]), load_default="json")


class Preview(Schema):
    template = fields.Str()
    subject = fields.Str()
    text = fields.Str()
    html = fields.Str()
    ics = fields.Str(allow_none=True)


class TemplateList(Schema):
    templates = fields.List(fields.Str())
    categories = fields.List(fields.Nested(CategoryOut))
