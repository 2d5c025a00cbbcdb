"""`GET /<service>/v1/me`: who the caller is, their registry person, what they may do.

The person is resolved in the service's own copy of the registry (its `people` collection: the registry's
own records, the projection elsewhere — no HTTP between services): by the token's person id
(OIDC_PERSON_ID_CLAIM, or the `sub` of a shared-secret token), else by its e-mail when the provider says
it is verified. A person of another federation than the token's is not theirs.

A token whose person was erased is refused (401); one whose registry roles have all ended, too (403) — here,
and on every route for the issuer's tokens naming their person (shared/http/auth.py).
"""
from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields

from shared import clock
from shared.dates import as_date
from shared.errors import Forbidden
from shared.http.auth import Principal
from shared.http.errors import abort
from shared.roles import active_roles

PEOPLE = "people"
OWN_SPACE = ("Seul un membre d'une fédération a son propre espace (les rôles nationaux consultent, sans jamais "
             "écrire).")


def own_person_id(principal: Principal, detail: str = OWN_SPACE) -> str:
    """The caller's person id for their own space (`/v1/me/…`): a member of a federation — a national role
    reads across federations and has no space of its own (403 `detail`)."""
    if not principal.sub or principal.is_national or not principal.federation:
        raise Forbidden(detail)
    return principal.sub


class PersonOut(Schema):
    id = fields.String()
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    federation = fields.String(allow_none=True)
    roles = fields.List(fields.Dict(), metadata={"description": "Current roles: {role, structure_id, start_on, end_on}"})


class MayOut(Schema):
    read_federations = fields.List(fields.String(), metadata={"description": "`*`: every federation"})
    manage_federation = fields.String(allow_none=True, metadata={"description": "The federation they run (staff)"})
    service = fields.Dict(metadata={"description": "What this service lets them do"})


class MeOut(Schema):
    """Who the caller is."""

    sub = fields.String(metadata={"description": "The registry person id when known, else the token's subject"})
    federation = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    email = fields.String(allow_none=True)
    signed_in_with = fields.String(metadata={"description": "`openid-connect` or `shared-secret` (dev, tooling)"})
    issuer = fields.String(allow_none=True)
    person = fields.Nested(PersonOut, allow_none=True,
                           metadata={"description": "Their registry person (null: none found for this token)"})
    may = fields.Nested(MayOut)


def find_person(db, principal: Principal) -> dict | None:
    people = db[PEOPLE]
    person_id = principal.person_id or (principal.sub if principal.issuer is None else None)
    doc = people.find_one({"_id": person_id}) if person_id else None
    if doc is None and principal.email and principal.email_verified:
        found = list(people.find({"email": {"$in": sorted({principal.email, principal.email.lower()})},
                                  "erased": {"$ne": True}, "deleted": {"$ne": True}}).limit(2))
        doc = found[0] if len(found) == 1 else None  # two people with one e-mail: neither is surely theirs
    if doc is not None and not doc.get("erased") and not principal.is_national \
            and doc.get("federation") not in (None, principal.federation):
        return None
    return doc


def _day(value) -> str | None:
    day = as_date(value)
    return day.isoformat() if day else None


def current_roles(doc: dict, today: dt.date) -> list[dict]:
    return [{"role": r.get("role"), "structure_id": r.get("structure_id"), "start_on": _day(r.get("start_on")),
             "end_on": _day(r.get("end_on"))} for r in active_roles(doc.get("roles"), today)]


def all_ended(doc: dict, today: dt.date) -> bool:
    """Roles, and every one of them over (an end date is the first day no longer held)."""
    roles = doc.get("roles") or []
    return bool(roles) and all(as_date(r.get("end_on")) is not None and as_date(r.get("end_on")) <= today
                               for r in roles)


def me(db, principal: Principal, service_may=None, today: dt.date | None = None) -> dict:
    """`service_may(person_known)`: what this service lets them do."""
    today = today or clock.today()
    doc = find_person(db, principal)
    person = None
    if doc is not None:
        if doc.get("erased") or doc.get("deleted"):
            abort(401, "La personne que ce jeton représente a été effacée du registre.")
        roles = current_roles(doc, today)
        if all_ended(doc, today):
            abort(403, "Tous les rôles de la personne que ce jeton représente dans le registre ont pris fin.")
        person = {"id": doc["_id"], "first_name": doc.get("first_name"), "last_name": doc.get("last_name"),
                  "email": doc.get("email"), "federation": doc.get("federation"), "roles": roles}
    return {
        "sub": person["id"] if person else principal.sub, "federation": principal.federation,
        "roles": sorted(principal.roles), "email": principal.email or (person or {}).get("email"),
        "signed_in_with": "openid-connect" if principal.issuer else "shared-secret", "issuer": principal.issuer,
        "person": person,
        "may": {"read_federations": ["*"] if principal.is_national else [principal.federation],
                "manage_federation": principal.federation if principal.is_staff else None,
                "service": service_may(person is not None) if service_may else {}},
    }


def me_blueprint(may, description: str = "The signed-in caller"):
    """The `/v1/me` blueprint of a service; `may(principal, person_known)` says what it lets them do."""
    from shared.http.auth import current_principal, requires
    from shared.http.blueprint import Blueprint
    from shared.http.context import service_db

    blueprint = Blueprint("me", __name__, url_prefix="/v1/me", description=description)

    @blueprint.route("", methods=["GET"])
    @blueprint.response(200, MeOut)
    @requires()
    def whoami():
        """Who the token stands for: subject, federation, roles, registry person, and what they may do.

        401 when their person was erased, 403 when all their registry roles have ended."""
        principal = current_principal()
        return me(service_db(), principal, lambda person_known: may(principal, person_known))

    return blueprint
