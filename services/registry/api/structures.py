"""`/v1/structures`: register, read, list, change, archive and restore structures."""
from __future__ import annotations

from flask.views import MethodView

from services.registry import schemas, structures as use_cases
from services.registry.api.common import created, db, tagged
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import expected_version

structures = Blueprint("structures", __name__, url_prefix="/v1/structures",
                       description="Health structures (MSP, CPTS, CDS, ESP) of a federation's network")


@structures.route("")
class Structures(MethodView):
    @structures.operation(schemas.StructurePage, query=schemas.StructureQuery)
    def get(self, args):
        """List structures (filters, text search on name/city, pagination; archived ones with `archived=true`)."""
        return use_cases.list_structures(db(), current_principal(), args)

    @structures.operation(schemas.Structure, status=201, body=schemas.StructureCreate, roles=STAFF_ROLES,
                          alt={409: "Duplicate FINESS"})
    def post(self, data):
        """Register a structure."""
        doc = use_cases.register_structure(db(), current_principal(), data)
        return created(doc, "structures.Structure", "structure_id")


@structures.route("/<string:structure_id>")
class Structure(MethodView):
    @structures.operation(schemas.Structure)
    def get(self, structure_id):
        """One structure, with its ETag."""
        return tagged(use_cases.get_structure(db(), current_principal(), structure_id))

    @structures.operation(schemas.Structure, body=schemas.StructurePatch(partial=True), if_match=True)
    def patch(self, changes, structure_id):
        """Change a structure's data or move its status (send `If-Match` with the ETag you read).

        Staff change everything; the structure's coordinator only its contact data
        (email, phone, website, address)."""
        principal = current_principal()
        current = use_cases.get_structure(db(), principal, structure_id)
        return tagged(use_cases.update_structure(db(), principal, structure_id, changes, expected_version(current)))


@structures.route("/<string:structure_id>/archive", methods=["POST"])
@structures.operation(schemas.Structure, body=schemas.ArchiveRequest, roles=STAFF_ROLES)
def archive(data, structure_id):
    """Archive a structure (soft delete: it leaves its local group; listed only with `archived=true`)."""
    return tagged(use_cases.archive_structure(db(), current_principal(), structure_id, data.get("archived_on")))


@structures.route("/<string:structure_id>/restore", methods=["POST"])
@structures.operation(schemas.Structure, roles=STAFF_ROLES)
def restore(structure_id):
    """Bring an archived structure back."""
    return tagged(use_cases.restore_structure(db(), current_principal(), structure_id))
