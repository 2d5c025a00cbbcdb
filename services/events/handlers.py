"""What the events service consumes: the subscription table (routing key → projection function)."""
from __future__ import annotations

from services.events import projection

PURPOSE = "registry-projection"

HANDLERS = {
    "registry.structure.registered": projection.on_structure,
    "registry.structure.updated": projection.on_structure,
    "registry.person.registered": projection.on_person,
    "registry.person.updated": projection.on_person,
    "registry.person.erased": projection.on_person_erased,
    "registry.local_group.created": projection.on_local_group,
    "registry.local_group.updated": projection.on_local_group,
}
