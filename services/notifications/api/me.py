"""`/v1/me`: who the caller is (their registry person, in this service's own copy of the registry:
shared/me.py) and what they may do here."""
from shared.me import me_blueprint

me = me_blueprint(lambda principal, person_known: {
    "manage_own_preferences": person_known,
    "manage_webhooks": principal.is_staff,
    "read_delivery_log": principal.is_staff or principal.is_national})
