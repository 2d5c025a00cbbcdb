"""`/v1/stats`: key figures of the caller's federation (national roles: all, or `federation=`)."""
from __future__ import annotations

from services.registry import schemas, stats as use_cases
from services.registry.api.common import db
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

stats = Blueprint("stats", __name__, url_prefix="/v1/stats", description="Key figures of the network")


@stats.route("", methods=["GET"])
@stats.operation(schemas.Stats, query=schemas.StatsQuery)
def key_figures(args):
    """Structures by kind × status × department, growth per year, progress against the 4000 MSP plan's
    regional targets, coordinators' profile (status mix, weekly hours, solo vs pair)."""
    return use_cases.key_figures(db(), current_principal(), args)
