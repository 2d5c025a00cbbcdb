"""`/v1/me`: who the caller is — their registry person, resolved in this service's own copy of the registry
(shared/me.py) — and what they may do here."""
from __future__ import annotations

from services.notifications.api.common import db
from shared import me as who
from shared.http.auth import current_principal, requires
from shared.http.blueprint import Blueprint

me = Blueprint("me", __name__, url_prefix="/v1/me", description="The signed-in caller")


@me.route("", methods=["GET"])
@me.response(200, who.MeOut)
@requires()
def whoami():
    """Who the token stands for: subject, federation, roles, registry person, and what they may do.

    401 when their person was erased, 403 when all their registry roles have ended."""
    principal = current_principal()

    def may(person_known: bool) -> dict:
        return {"manage_own_preferences": person_known,
                "manage_webhooks": principal.is_staff,
                "read_delivery_log": principal.is_staff or principal.is_national}

    return who.me(db(), principal, may)
