"""Builds `docs/asyncapi.yaml` (AsyncAPI 2.6) from every service's event catalog.

`maillage asyncapi > docs/asyncapi.yaml` regenerates it; a test checks the file is up to date and
that published events validate against it.
"""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared.bus.envelope import EnvelopeSchema
from shared.runtime import SERVICE_NAMES, ServiceRuntime


def _schema_name(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.replace(".", "_").split("_"))


def build(settings) -> dict:
    spec = APISpec("maillage-events", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("Envelope", schema=EnvelopeSchema)
    channels, messages = {}, {}
    for service in SERVICE_NAMES:
        catalog = ServiceRuntime(service, settings).catalog()
        for event_type in sorted(catalog.types.values(), key=lambda e: e.type):
            name = _schema_name(event_type.type) + "Data"
            spec.components.schema(name, schema=event_type.schema)
            message = _schema_name(event_type.type)
            messages[message] = {
                "messageId": message,
                "name": event_type.type,
                "title": event_type.type,
                "summary": event_type.description,
                "contentType": "application/cloudevents+json",
                "payload": {"allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {"type": "object", "required": ["type", "data"],
                     "properties": {"type": {"type": "string", "enum": [event_type.type]},
                                    "data": {"$ref": f"#/components/schemas/{name}"}}},
                ]},
            }
            channels[event_type.routing_key] = {
                "description": event_type.description,
                "subscribe": {"operationId": f"on_{event_type.routing_key.replace('.', '_')}",
                              "message": {"$ref": f"#/components/messages/{message}"}},
                "bindings": {"amqp": {"is": "routingKey", "exchange": {"name": "maillage.events", "type": "topic",
                                                                      "durable": True, "vhost": "/"}}},
            }
    schemas = spec.to_dict()["components"]["schemas"]
    return {
        "asyncapi": "2.6.0",
        "id": "urn:maillage:events",
        "info": {"title": "Maillage events", "version": "1.0.0", "description": (
            "Every event Maillage publishes on the durable topic exchange `maillage.events`. Routing key = "
            "event type without its version (`registry.structure.registered`). Envelope: CloudEvents 1.0 "
            "JSON structured mode with extensions `federation`, `correlationid`, `sequence` (aggregate "
            "version: apply an event only if it is newer than what you hold). Delivery is at least once: "
            "deduplicate on `id`. Bind your own durable queue, e.g. `registry.#`.")},
        "tags": [{"name": service, "description": f"Events published by the {service} service (`/{service}`)"}
                 for service in SERVICE_NAMES],
        "defaultContentType": "application/cloudevents+json",
        "servers": {"rabbitmq": {"url": "amqp://rabbitmq:5672", "protocol": "amqp", "protocolVersion": "0.9.1"}},
        "channels": dict(sorted(channels.items())),
        "components": {"schemas": schemas, "messages": dict(sorted(messages.items()))},
    }


def render(settings) -> str:
    import yaml

    return yaml.safe_dump(build(settings), sort_keys=False, allow_unicode=True, width=110)
