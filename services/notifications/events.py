"""What the notifications service publishes."""
from shared.bus.catalog import EventCatalog

catalog = EventCatalog("notifications")
