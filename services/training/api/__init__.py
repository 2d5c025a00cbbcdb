"""Training HTTP routes (`/training/v1/...`), one module per resource; each calls its use-case module.
Thin: parse, authorise the role, call the use case."""
from services.training.api.applications import applications
from services.training.api.certificates import certificates
from services.training.api.cohorts import cohorts
from services.training.api.learners import learners
from services.training.api.programmes import programmes
from services.training.api.reports import activity_report, certificate_documents
from services.training.api.seminars import seminars
from services.training.api.stats import stats
from services.training.api.me import me
from services.training.api.my_space import my_space_routes

BLUEPRINTS = [programmes, cohorts, applications, learners, seminars, certificates, certificate_documents, stats,
              activity_report, me, my_space_routes]
