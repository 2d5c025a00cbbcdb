"""`/v1/guests`: outside guests' erasure (by staff, or by the guest through the link in their e-mails)."""
from __future__ import annotations

from services.events import guests as guest_erasure
from services.events import schemas
from services.events.api.common import PUBLIC, db, settings
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint

guests = Blueprint("guests", __name__, url_prefix="/v1/guests",
                   description="Outside guests' erasure (by staff, or by the guest through the link in their e-mails)")


@guests.route("/erase", methods=["POST"])
@guests.operation(schemas.GuestErased, body=schemas.GuestErase, roles=STAFF_ROLES)
def erase_guest(body):
    """Erase an outside guest of your federation by e-mail: their registrations keep no personal data."""
    return guest_erasure.erase_by_staff(db(), current_principal(), body["email"])


@guests.route("/erasure", methods=["GET"])
@guests.operation(schemas.GuestErasurePreview, query=schemas.GuestErasureQuery, public=True)
@guests.doc(**PUBLIC)
def guest_erasure_preview(args):
    """What the erasure link of a guest's e-mail would erase (no token: the link is the proof)."""
    return guest_erasure.describe_link(db(), settings(), args["token"])


@guests.route("/erasure", methods=["POST"])
@guests.operation(schemas.GuestErased, body=schemas.GuestErasureLink, public=True)
@guests.doc(**PUBLIC)
def guest_erasure_by_link(body):
    """Erase yourself, an outside guest, with the link of your e-mails."""
    return guest_erasure.erase_by_link(db(), settings(), body["token"])
