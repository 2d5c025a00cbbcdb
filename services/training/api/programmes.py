"""`/v1/programmes`: the programmes a federation runs."""
from flask import url_for
from flask.views import MethodView

from services.training import programmes as use_cases, schemas
from services.training.api.common import STAFF, db, expected, tagged
from shared.http.auth import current_principal, requires
from shared.http.blueprint import Blueprint

programmes = Blueprint("programmes", __name__, url_prefix="/v1/programmes",
                       description="Programmes a federation runs (PACTE MSP, PACTE CPTS, SISA co-gérants…)")


@programmes.route("")
class Programmes(MethodView):
    @programmes.arguments(schemas.ProgrammeQuery, location="query")
    @programmes.response(200, schemas.ProgrammePage)
    @requires()
    def get(self, args):
        """List programmes."""
        return use_cases.list_programmes(db(), current_principal(), args)

    @programmes.arguments(schemas.ProgrammeWrite)
    @programmes.response(201, schemas.Programme)
    @requires(*STAFF)
    def post(self, data):
        """Create a programme (staff)."""
        doc = use_cases.create_programme(db(), current_principal(), data)
        return tagged(doc, 201, url_for("programmes.Programme", programme_id=doc["id"]))


@programmes.route("/<string:programme_id>")
class Programme(MethodView):
    @programmes.response(200, schemas.Programme)
    @requires()
    def get(self, programme_id):
        """One programme, with its ETag."""
        return tagged(use_cases.get_programme(db(), current_principal(), programme_id))

    @programmes.arguments(schemas.ProgrammePatch(partial=True))
    @programmes.response(200, schemas.Programme)
    @requires(*STAFF)
    def patch(self, changes, programme_id):
        """Change a programme (send `If-Match`)."""
        principal = current_principal()
        current = use_cases.get_programme(db(), principal, programme_id)
        return tagged(use_cases.update_programme(db(), principal, programme_id, changes, expected(current)))
