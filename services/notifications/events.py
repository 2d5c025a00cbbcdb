"""What the notifications service publishes."""
from __future__ import annotations

from marshmallow import Schema, fields

from shared.bus.catalog import EventCatalog

catalog = EventCatalog("notifications")
SOURCE = catalog.service  # the outbox source of what it writes


class DeliveryFailedData(Schema):
    id = fields.Str(required=True, metadata={"description": "Delivery id (see GET /notifications/v1/deliveries/{id})"})
    federation = fields.Str(allow_none=True)
    channel = fields.Str(required=True, metadata={"enum": ["email", "webhook"]})
    event_type = fields.Str(allow_none=True, metadata={"description": "The domain event the message was about"})
    origin = fields.Str(allow_none=True, metadata={"description": "Id of that domain event (or reminder)"})
    person_id = fields.Str(allow_none=True)
    webhook_id = fields.Str(allow_none=True)
    template = fields.Str(allow_none=True)
    attempts = fields.Int(required=True)
    error = fields.Str(allow_none=True)
    failed_at = fields.AwareDateTime(required=True)


DELIVERY_FAILED = catalog.event(
    "notifications.delivery.failed.v1", DeliveryFailedData,
    "A message could not be delivered after its retries (or was refused for good); staff may retry it.")
