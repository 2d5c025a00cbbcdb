"""`/v1/people`: people, their roles, GDPR erasure and export."""
from __future__ import annotations

from flask.views import MethodView

from services.registry import gdpr, people as use_cases, schemas
from services.registry.api.common import created, db, tagged
from shared.http.auth import STAFF_ROLES, current_principal
from shared.http.blueprint import Blueprint
from shared.http.etag import expected_version

people = Blueprint("people", __name__, url_prefix="/v1/people",
                   description="People of the network and their roles (staff read everyone; a person reads themselves)")


@people.route("")
class People(MethodView):
    @people.operation(schemas.PersonPage, query=schemas.PeopleQuery)
    def get(self, args):
        """List people (staff and national roles): by role held now, structure, employment status, name."""
        return use_cases.list_people(db(), current_principal(), args)

    @people.operation(schemas.Person, status=201, body=schemas.PersonCreate, roles=STAFF_ROLES)
    def post(self, data):
        """Register a person, optionally with roles."""
        return created(use_cases.register_person(db(), current_principal(), data), "people.Person", "person_id")


@people.route("/<string:person_id>")
class Person(MethodView):
    @people.operation(schemas.Person)
    def get(self, person_id):
        """One person, with their roles and ETag."""
        return tagged(use_cases.get_person(db(), current_principal(), person_id))

    @people.operation(schemas.Person, body=schemas.PersonPatch(partial=True), if_match=True)
    def patch(self, changes, person_id):
        """Change a person (staff), or your own names, e-mail, phone and e-mail consent."""
        principal = current_principal()
        current = use_cases.get_person(db(), principal, person_id)
        return tagged(use_cases.update_person(db(), principal, person_id, changes, expected_version(current)))


@people.route("/<string:person_id>/roles", methods=["POST"])
@people.operation(schemas.Person, status=201, body=schemas.RoleCreate, roles=STAFF_ROLES)
def assign_role(data, person_id):
    """Give a person a role (at a structure, or facilitator / federation staff)."""
    return created(use_cases.assign_role(db(), current_principal(), person_id, data))


@people.route("/<string:person_id>/roles/<string:role_id>/end", methods=["POST"])
@people.operation(schemas.Person, body=schemas.RoleEnd, roles=STAFF_ROLES)
def end_role(data, person_id, role_id):
    """End one of a person's roles (default today)."""
    return tagged(use_cases.end_role(db(), current_principal(), person_id, role_id, data.get("end_on")))


@people.route("/<string:person_id>/erase", methods=["POST"])
@people.operation(schemas.ErasedPerson, roles=STAFF_ROLES)
def erase(person_id):
    """GDPR erasure: anonymise the person, end their roles, publish `registry.person.erased.v1`."""
    return gdpr.erase_person(db(), current_principal(), person_id)


@people.route("/<string:person_id>/export", methods=["GET"])
@people.operation(schemas.PersonExport)
def export(person_id):
    """GDPR right of access: everything the registry holds on this person (staff, or the person)."""
    return gdpr.export_person(db(), current_principal(), person_id)
