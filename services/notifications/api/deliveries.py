"""`/v1/deliveries`: the delivery log (staff)."""
from __future__ import annotations

from flask.views import MethodView

from services.notifications import deliveries as use
from services.notifications.api.common import STAFF, db
from services.notifications.schemas.deliveries import DeliveryDetail, DeliveryPage, DeliveryQuery
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint

deliveries = Blueprint("deliveries", __name__, url_prefix="/v1/deliveries",
                       description="Delivery log: every message (e-mail, webhook) and each attempt (staff)")


@deliveries.route("")
class Deliveries(MethodView):
    @deliveries.operation(DeliveryPage, query=DeliveryQuery, roles=STAFF)
    def get(self, args):
        """The delivery log, newest first; filter by status, channel, person, event type, template,
        category, webhook, date range."""
        return use.list_deliveries(db(), current_principal(), args)


@deliveries.route("/<string:delivery_id>")
class DeliveryOne(MethodView):
    @deliveries.operation(DeliveryDetail, roles=STAFF)
    def get(self, delivery_id):
        """One delivery with its message and every attempt."""
        return use.get_delivery(db(), current_principal(), delivery_id)


@deliveries.route("/<string:delivery_id>/retry")
class DeliveryRetry(MethodView):
    @deliveries.operation(DeliveryDetail, roles=STAFF_ROLES,
                          alt={409: "Only failed or retrying deliveries can be retried"})
    def post(self, delivery_id):
        """Send a failed (or retrying) delivery again now."""
        return use.retry_delivery(db(), current_principal(), delivery_id)
