"""Events api: `gunicorn "services.events.app:create_app()"`."""
from shared.http.app import service_app_factory

DESCRIPTION = ("Events and meetings of the federations (local coordinator groups, regional days, seminars, "
               "webinars, facilitations…), registrations with waiting lists, attendance, the public agenda "
               "and its iCalendar feeds, and the figures federations report. Times are stored in UTC and "
               "shown in Europe/Paris.")
create_app = service_app_factory("events", "Maillage events", DESCRIPTION,
                                 blueprints="services.events.api:BLUEPRINTS")
