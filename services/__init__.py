"""The four Maillage services; each is its own Flask app + worker, with its own database.

PLATFORM is what the kit runs (`maillage dev`, `maillage declare`, the AsyncAPI document…): each
service's own declaration, in `services/<name>/__init__.py`.
"""
from services.events import SERVICE as EVENTS
from services.notifications import SERVICE as NOTIFICATIONS
from services.registry import SERVICE as REGISTRY
from services.training import SERVICE as TRAINING

PLATFORM = (REGISTRY, EVENTS, TRAINING, NOTIFICATIONS)
