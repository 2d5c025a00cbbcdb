"""What training consumes: the registry's people and structures (applied in `projection.py`)."""
from services.training.projection import on_person, on_person_erased, on_structure

HANDLERS = {
    "registry.person.registered": on_person,
    "registry.person.updated": on_person,
    "registry.person.erased": on_person_erased,
    "registry.structure.registered": on_structure,
    "registry.structure.updated": on_structure,
}
