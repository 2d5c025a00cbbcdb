"""What the training service publishes."""
from shared.bus.catalog import EventCatalog

catalog = EventCatalog("training")
