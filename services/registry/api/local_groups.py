"""`/v1/local-groups`: local groups of coordinators, their member structures and contacts."""
from __future__ import annotations

from flask.views import MethodView

from services.registry import local_groups as use_cases, schemas
from services.registry.api.common import created, db, tagged
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import expected_version

local_groups = Blueprint("local_groups", __name__, url_prefix="/v1/local-groups",
                         description="Local groups of coordinators (APMSL's \"44 est\", FEMAGE's departmental groups)")


@local_groups.route("")
class LocalGroups(MethodView):
    @local_groups.operation(schemas.LocalGroupPage, query=schemas.LocalGroupQuery)
    def get(self, args):
        """List local groups (by department, member structure, name)."""
        return use_cases.list_groups(db(), current_principal(), args)

    @local_groups.operation(schemas.LocalGroup, status=201, body=schemas.LocalGroupCreate, roles=STAFF_ROLES)
    def post(self, data):
        """Create a local group, optionally with member structures and contacts."""
        return created(use_cases.create_group(db(), current_principal(), data), "local_groups.LocalGroup", "group_id")


@local_groups.route("/<string:group_id>")
class LocalGroup(MethodView):
    @local_groups.operation(schemas.LocalGroup)
    def get(self, group_id):
        """One local group."""
        return tagged(use_cases.get_group(db(), current_principal(), group_id))

    @local_groups.operation(schemas.LocalGroup, body=schemas.LocalGroupPatch(partial=True), roles=STAFF_ROLES)
    def patch(self, changes, group_id):
        """Rename a group, change its department or contacts (send `If-Match`)."""
        principal = current_principal()
        current = use_cases.get_group(db(), principal, group_id)
        return tagged(use_cases.update_group(db(), principal, group_id, changes, expected_version(current)))


@local_groups.route("/<string:group_id>/structures", methods=["POST"])
@local_groups.operation(schemas.LocalGroup, body=schemas.JoinRequest, roles=STAFF_ROLES)
def join(data, group_id):
    """A structure joins the group (and leaves its previous one)."""
    return tagged(use_cases.join_group(db(), current_principal(), group_id, data["structure_id"]))


@local_groups.route("/<string:group_id>/structures/<string:structure_id>", methods=["DELETE"])
@local_groups.operation(schemas.LocalGroup, roles=STAFF_ROLES)
def leave(group_id, structure_id):
    """A structure leaves the group."""
    return tagged(use_cases.leave_group(db(), current_principal(), group_id, structure_id))
