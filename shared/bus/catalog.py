"""The events a service publishes: type (with version) -> marshmallow schema of `data`.

Every published event goes through its schema, so what leaves a service is what `docs/asyncapi.yaml`
(generated from these catalogs) documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from marshmallow import Schema


@dataclass(frozen=True)
class EventType:
    type: str
    schema: type[Schema]
    description: str

    @property
    def routing_key(self) -> str:
        return self.type.rsplit(".", 1)[0]

    @cached_property
    def _dumper(self) -> Schema:
        # One instance per event type: building a marshmallow schema deep-copies its fields (about half a
        # millisecond per write for a structure's); dumping with a shared instance is thread-safe.
        return self.schema()

    def dump(self, data: dict) -> dict:
        return self._dumper.dump(data)


class EventCatalog:
    def __init__(self, service: str):
        self.service = service
        self.types: dict[str, EventType] = {}

    def event(self, type: str, schema: type[Schema], description: str) -> EventType:
        if not type.startswith(f"{self.service}."):
            raise ValueError(f"{type} is not an event of {self.service}")
        if type in self.types:
            raise ValueError(f"{type} declared twice")
        event_type = EventType(type, schema, description)
        self.types[type] = event_type
        return event_type
