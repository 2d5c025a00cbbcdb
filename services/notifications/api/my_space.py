"""`/v1/me/deliveries` (the e-mails sent to me), `/v1/me/preferences` (mine: critical categories are flagged and
cannot be switched off), `/v1/me/export` (GDPR), and `/v1/unsubscribe/link` (what a signed link switches off,
as JSON, for the console's unsubscribe page)."""
from __future__ import annotations

from flask.views import MethodView

from services.notifications import my_space, preferences
from services.notifications.api.common import db, settings
from services.notifications.schemas.deliveries import DeliveryPage
from services.notifications.schemas.my_space import MyDeliveryQuery, MyNotificationsExport, UnsubscribeLink
from services.notifications.schemas.preferences import Preferences, PreferencesWrite, UnsubscribeQuery
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

my_space_routes = Blueprint("my_space", __name__, url_prefix="/v1/me",
                            description="A person's own e-mails, preferences and data")
@my_space_routes.route("/deliveries", methods=["GET"])
@my_space_routes.operation(DeliveryPage, query=MyDeliveryQuery)
def my_deliveries(args):
    """The e-mails sent to you (or held back, and why), newest first."""
    return my_space.my_deliveries(db(), current_principal(), args)


@my_space_routes.route("/preferences")
class MyPreferences(MethodView):
    @my_space_routes.operation(Preferences)
    def get(self):
        """Your preferences: each category, enabled or not; `critical` ones (cancellations, changes of date)
        are always sent."""
        return my_space.my_preferences(db(), current_principal())

    @my_space_routes.operation(Preferences, body=PreferencesWrite)
    def put(self, data):
        """Replace the categories you switched off (critical ones are refused, 422 naming `opted_out`)."""
        return my_space.set_my_preferences(db(), current_principal(), data["opted_out"])


@my_space_routes.route("/export", methods=["GET"])
@my_space_routes.operation(MyNotificationsExport)
def my_export():
    """Everything the notifications service keeps of you (GDPR right of access)."""
    return my_space.my_export(db(), current_principal())


unsubscribe_link = Blueprint("unsubscribe_link", __name__, url_prefix="/v1/unsubscribe",
                             description="What an e-mail's signed unsubscribe link would switch off (public, JSON)")


@unsubscribe_link.route("/link", methods=["GET"])
@unsubscribe_link.operation(UnsubscribeLink, query=UnsubscribeQuery, public=True)
@unsubscribe_link.doc(security=[])
def describe_link(args):
    """What the link switches off, without changing anything: the console's `/desinscription?token=` page asks
    to confirm with it, then `POST /v1/unsubscribe?token=` applies it (an expired or forged link: 422 naming
    `token`)."""
    return preferences.describe_token(settings(), args["token"])
