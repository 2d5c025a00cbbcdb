"""`/v1/me/structures` (the structures I coordinate and what I may change of them) and `/v1/me/export` (GDPR:
what the registry holds on me, as `/v1/people/{my id}/export`)."""
from __future__ import annotations

from services.registry import gdpr, schemas, structures as use_cases
from services.registry.api.common import db
from services.registry.schemas.my_space import MyStructures
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

my_space_routes = Blueprint("my_space", __name__, url_prefix="/v1/me",
                            description="The caller's own structures and data")


@my_space_routes.route("/structures", methods=["GET"])
@my_space_routes.operation(MyStructures)
def my_structures():
    """The structures you coordinate today, each with the fields you may change (contact data: e-mail, phone,
    website, address)."""
    return {"items": use_cases.my_structures(db(), current_principal())}


@my_space_routes.route("/export", methods=["GET"])
@my_space_routes.operation(schemas.PersonExport)
def my_export():
    """Everything the registry holds on you (GDPR right of access)."""
    principal = current_principal()
    return gdpr.export_person(db(), principal, principal.sub)
