"""Events HTTP routes (`/events/v1/...`), one module per resource; each calls its use-case module."""
from services.events.api.agenda import agenda
from services.events.api.events import events
from services.events.api.exports import meeting_documents
from services.events.api.guests import guests
from services.events.api.my_space import my_space_routes
from services.events.api.registrations import me
from services.events.api.reports import activity_report
from services.events.api.stats import figures

BLUEPRINTS = [meeting_documents, events, me, my_space_routes, agenda, figures, activity_report, guests]
