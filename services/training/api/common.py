"""What every training route needs: the service's database and settings, ETags on what it answers."""
from shared.http.auth import STAFF_ROLES
from shared.http.context import service_db as db, service_settings as settings  # noqa: F401
from shared.http.etag import expected_version as expected, tagged  # noqa: F401

STAFF = tuple(STAFF_ROLES)
