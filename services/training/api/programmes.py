"""`/v1/programmes`: the programmes a federation runs."""
from flask import url_for
from flask.views import MethodView

from services.training import programmes as use_cases, schemas
from services.training.api.common import STAFF, db, expected, tagged
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

programmes = Blueprint("programmes", __name__, url_prefix="/v1/programmes",
                       description="Programmes a federation runs (PACTE MSP, PACTE CPTS, SISA co-gérants…)")


@programmes.route("")
class Programmes(MethodView):
    @programmes.operation(schemas.ProgrammePage, query=schemas.ProgrammeQuery)
    def get(self, args):
        """List programmes."""
        return use_cases.list_programmes(db(), current_principal(), args)

    @programmes.operation(schemas.Programme, status=201, body=schemas.ProgrammeWrite, roles=STAFF)
    def post(self, data):
        """Create a programme (staff)."""
        doc = use_cases.create_programme(db(), current_principal(), data)
        return tagged(doc, 201, url_for("programmes.Programme", programme_id=doc["id"]))


@programmes.route("/<string:programme_id>")
class Programme(MethodView):
    @programmes.operation(schemas.Programme)
    def get(self, programme_id):
        """One programme, with its ETag."""
        return tagged(use_cases.get_programme(db(), current_principal(), programme_id))

    @programmes.operation(schemas.Programme, body=schemas.ProgrammePatch(partial=True), roles=STAFF)
    def patch(self, changes, programme_id):
        """Change a programme (send `If-Match`)."""
        principal = current_principal()
        current = use_cases.get_programme(db(), principal, programme_id)
        return tagged(use_cases.update_programme(db(), principal, programme_id, changes, expected(current)))
