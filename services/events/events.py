"""What the events service publishes."""
from shared.bus.catalog import EventCatalog

catalog = EventCatalog("events")
