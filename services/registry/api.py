"""Registry HTTP routes (`/registry/v1/...`)."""
from __future__ import annotations

from flask import current_app, url_for
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from services.registry import schemas, service
from shared.http.auth import STAFF_ROLES, current_principal, requires
from shared.http.etag import etag_of, expected_version

structures = Blueprint("structures", __name__, url_prefix="/v1/structures",
                       description="Health structures (MSP, CPTS, CDS, ESP) of a federation's network")


def _db():
    return current_app.config["MAILLAGE_RUNTIME"].db


@structures.route("")
class Structures(MethodView):
    @structures.arguments(schemas.StructureQuery, location="query")
    @structures.response(200, schemas.StructurePage)
    @requires()
    def get(self, args):
        """List structures (filters, text search on name/city, pagination)."""
        return service.list_structures(_db(), current_principal(), args)

    @structures.arguments(schemas.StructureCreate)
    @structures.response(201, schemas.Structure)
    @structures.alt_response(409, description="Duplicate FINESS")
    @requires(*STAFF_ROLES)
    def post(self, data):
        """Register a structure."""
        doc = service.register_structure(_db(), current_principal(), data)
        return doc, 201, {"ETag": etag_of(doc), "Location": url_for("structures.Structure", structure_id=doc["_id"])}


@structures.route("/<string:structure_id>")
class Structure(MethodView):
    @structures.response(200, schemas.Structure)
    @requires()
    def get(self, structure_id):
        """One structure, with its ETag."""
        doc = service.get_structure(_db(), current_principal(), structure_id)
        return doc, 200, {"ETag": etag_of(doc)}

    @structures.arguments(schemas.StructurePatch(partial=True))
    @structures.response(200, schemas.Structure)
    @structures.alt_response(412, description="If-Match does not match the current ETag")
    @requires(*STAFF_ROLES)
    def patch(self, changes, structure_id):
        """Change a structure's data or move its status (send `If-Match` with the ETag you read)."""
        principal = current_principal()
        current = service.get_structure(_db(), principal, structure_id)
        doc = service.update_structure(_db(), principal, structure_id, changes, expected_version(current))
        return doc, 200, {"ETag": etag_of(doc)}


BLUEPRINTS = [structures]
