"""`/v1/stats`: the figures a federation reports."""
from services.training import schemas, stats as use_cases
from services.training.api.common import db
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

stats = Blueprint("stats", __name__, url_prefix="/v1/stats",
                  description="Learners trained per programme and year, applications vs seats, rates")


@stats.route("")
@stats.operation(schemas.Stats, query=schemas.StatsQuery)
def get_stats(args):
    """The federation's training figures (national: across federations)."""
    return use_cases.stats(db(), current_principal(), args)
