"""Public reads, no token: the map of structures, the directory of local groups and the reference data
(regions, departments, federations)."""
from __future__ import annotations

from services.registry import directory, exports as maps, schemas, territories as reference
from services.registry.api.common import db
from services.registry.schemas import public as public_schemas
from shared.http.blueprint import Blueprint
from shared.http.pagination import PageArgs

public = Blueprint("public", __name__, url_prefix="/v1",
                   description="Public, personal-data-free reads: map of structures, local groups, regions, "
                               "departments, federations")
NO_TOKEN = {"security": []}


@public.route("/map", methods=["GET"])
@public.arguments(schemas.MapQuery, location="query")
@public.doc(**NO_TOKEN, responses={"200": {"description": "GeoJSON FeatureCollection",
                                           "content": {"application/geo+json": {
                                               "schema": public_schemas.StructureMap}}}})
def structure_map(args):
    """GeoJSON of the structures (kind, name, city, status; no personal data). A structure is at its commune's
    centre unless staff corrected its point; one whose commune is unknown is not on the map."""
    return maps.structure_map(db(), args), 200, {"Content-Type": "application/geo+json"}


@public.route("/regions", methods=["GET"])
@public.operation(schemas.RegionPage, query=PageArgs, public=True)
@public.doc(**NO_TOKEN)
def regions(args):
    """French regions (INSEE codes)."""
    return reference.list_regions(args)


@public.route("/departments", methods=["GET"])
@public.operation(schemas.DepartmentPage, query=schemas.DepartmentQuery, public=True)
@public.doc(**NO_TOKEN)
def departments(args):
    """French departments (INSEE codes) and their region (`region=` filters)."""
    return reference.list_departments(args)


@public.route("/federations", methods=["GET"])
@public.operation(schemas.FederationPage, query=PageArgs, public=True)
@public.doc(**NO_TOKEN)
def federations(args):
    """The regional federations (tenants) using Maillage."""
    return reference.list_federations(args)


@public.route("/local-groups/public", methods=["GET"])
@public.arguments(public_schemas.PublicGroupQuery, location="query")
@public.response(200, public_schemas.PublicGroupPage)
@public.doc(**NO_TOKEN)
def public_groups(args):
    """Local groups (name, label, department, how many structures; no contact): to pick a group's agenda."""
    return directory.list_public_groups(db(), args)


@public.route("/local-groups/public/<string:group_id>", methods=["GET"])
@public.response(200, public_schemas.PublicGroup)
@public.doc(**NO_TOKEN)
def public_group(group_id):
    """One local group, as the public directory shows it."""
    return directory.get_public_group(db(), group_id)
