"""`/v1/me`: who the caller is (their registry person, in this service's own copy of the registry:
shared/me.py) and what they may do here."""
from shared.me import me_blueprint

me = me_blueprint(lambda principal, person_known: {
    "manage_registry": principal.is_staff,
    "read_registry": True,
    "update_own_record": person_known})
