"""Notifications HTTP routes (`/notifications/v1/...`), one module per resource; each calls its use-case
module of the same name."""
from services.notifications.api.deliveries import deliveries
from services.notifications.api.preferences import preferences, unsubscribe
from services.notifications.api.previews import previews
from services.notifications.api.stats import reminders, stats
from services.notifications.api.webhooks import webhooks
from services.notifications.api.me import me
from services.notifications.api.my_space import my_space_routes, unsubscribe_link

BLUEPRINTS = [deliveries, preferences, unsubscribe, webhooks, previews, stats, reminders, me, my_space_routes,
              unsubscribe_link]
