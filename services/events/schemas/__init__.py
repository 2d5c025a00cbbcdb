"""HTTP shapes of the events service (marshmallow), one module per resource; flask-smorest builds the
OpenAPI from them. Input schemas are `Strict` (unknown fields are refused)."""
from services.events.schemas.common import *  # noqa: F401,F403
from services.events.schemas.events import *  # noqa: F401,F403
from services.events.schemas.agenda import *  # noqa: F401,F403
from services.events.schemas.registrations import *  # noqa: F401,F403
from services.events.schemas.stats import *  # noqa: F401,F403
from services.events.schemas.guests import *  # noqa: F401,F403
from services.events.schemas.exports import *  # noqa: F401,F403
