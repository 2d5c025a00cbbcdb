"""`/v1/exports`: CSV of structures and of people (staff only)."""
from __future__ import annotations

from flask import Response

from services.registry import exports as use_cases, schemas
from services.registry.api.common import db
from shared import clock
from shared.http.auth import current_principal, requires
from shared.http.blueprint import Blueprint

exports = Blueprint("exports", __name__, url_prefix="/v1/exports",
                    description="CSV exports (UTF-8 with BOM, `;` separated) for the federation's staff")
CSV_DOC = {"responses": {"200": {"description": "CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _csv(text: str, name: str) -> Response:
    filename = f"{name}-{clock.today().isoformat()}.csv"
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@exports.route("/structures.csv", methods=["GET"])
@exports.arguments(schemas.StructureExportQuery, location="query")
@exports.doc(**CSV_DOC)
@requires()
def structures_csv(args):
    """Structures matching the same filters as the list."""
    return _csv(use_cases.structures_csv(db(), current_principal(), args), "structures")


@exports.route("/people.csv", methods=["GET"])
@exports.arguments(schemas.PeopleExportQuery, location="query")
@exports.doc(**CSV_DOC)
@requires()
def people_csv(args):
    """People matching the same filters as the list."""
    return _csv(use_cases.people_csv(db(), current_principal(), args), "people")
