"""HTTP shapes of the registry (marshmallow); flask-smorest builds the OpenAPI from them.

Input schemas are `Strict` (unknown fields are refused) and carry a message per field.
"""
from services.registry.schemas.common import *  # noqa: F401,F403
from services.registry.schemas.structures import *  # noqa: F401,F403
from services.registry.schemas.people import *  # noqa: F401,F403
from services.registry.schemas.local_groups import *  # noqa: F401,F403
from services.registry.schemas.territories import *  # noqa: F401,F403
from services.registry.schemas.stats import *  # noqa: F401,F403
