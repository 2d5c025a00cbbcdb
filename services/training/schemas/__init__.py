"""HTTP shapes of training (marshmallow), one module per resource; flask-smorest builds the OpenAPI from
them. Input schemas are `Strict` (unknown fields are refused)."""
from services.training.schemas.common import *  # noqa: F401,F403
from services.training.schemas.programmes import *  # noqa: F401,F403
from services.training.schemas.cohorts import *  # noqa: F401,F403
from services.training.schemas.applications import *  # noqa: F401,F403
from services.training.schemas.learners import *  # noqa: F401,F403
from services.training.schemas.seminars import *  # noqa: F401,F403
from services.training.schemas.certificates import *  # noqa: F401,F403
from services.training.schemas.stats import *  # noqa: F401,F403
