"""Registry HTTP routes (`/registry/v1/...`), one module per resource; each calls its use-case module."""
from services.registry.api.exports import exports
from services.registry.api.local_groups import local_groups
from services.registry.api.people import people
from services.registry.api.public import public
from services.registry.api.reports import activity_report, xlsx_exports
from services.registry.api.stats import stats
from services.registry.api.structures import structures
from services.registry.api.territories import territories
from services.registry.api.me import me
from services.registry.api.my_space import my_space_routes

BLUEPRINTS = [structures, people, local_groups, territories, stats, activity_report, exports, xlsx_exports, public,
              me, my_space_routes]
