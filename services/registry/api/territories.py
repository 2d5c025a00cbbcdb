"""`/v1/territories`: each federation's coordination territories (sets of departments)."""
from __future__ import annotations

from flask.views import MethodView

from services.registry import schemas, territories as use_cases
from services.registry.api.common import created, db, tagged
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import expected_version

territories = Blueprint("territories", __name__, url_prefix="/v1/territories",
                        description="A federation's coordination territories (FemasAURA&Co's Ouest, Centre, Est)")


@territories.route("")
class Territories(MethodView):
    @territories.operation(schemas.TerritoryPage, query=schemas.TerritoryQuery)
    def get(self, args):
        """List territories (those covering a department with `department=`)."""
        return use_cases.list_territories(db(), current_principal(), args)

    @territories.operation(schemas.Territory, status=201, body=schemas.TerritoryCreate, roles=STAFF_ROLES)
    def post(self, data):
        """Define a territory of your federation."""
        return created(use_cases.create_territory(db(), current_principal(), data))


@territories.route("/<string:territory_id>")
class Territory(MethodView):
    @territories.operation(schemas.Territory)
    def get(self, territory_id):
        return tagged(use_cases.get_territory(db(), current_principal(), territory_id))

    @territories.operation(schemas.Territory, body=schemas.TerritoryPatch(partial=True), roles=STAFF_ROLES)
    def patch(self, changes, territory_id):
        principal = current_principal()
        current = use_cases.get_territory(db(), principal, territory_id)
        return tagged(use_cases.update_territory(db(), principal, territory_id, changes, expected_version(current)))
