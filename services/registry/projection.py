"""What the registry keeps of other services' data: nothing. It owns structures, people and groups;
the other services keep projections of them (see their `projection.py`)."""
