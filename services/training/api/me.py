"""`/v1/me`: who the caller is — their registry person, resolved in this service's own copy of the registry
(shared/me.py) — and what they may do here."""
from __future__ import annotations

from services.training.api.common import db
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
        return {"apply_to_cohorts": principal.has_any("coordinator", "member") and person_known,
                "train_cohorts": principal.has_any("trainer"),
                "run_cohorts_and_selection": principal.is_staff}

    return who.me(db(), principal, may)
