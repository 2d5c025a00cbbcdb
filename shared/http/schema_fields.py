"""The fields every service's schemas share, declared once.

Input: `Strict` (an unknown field is a 422 naming it), identifiers, federation codes, French departments,
e-mail and phone. Output and event payloads: the fields every resource and every event carries (its id, its
federation, its version), with the description a client or a subscriber reads in the OpenAPI and AsyncAPI
documents. Each factory takes marshmallow's keyword arguments to override its defaults.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

# INSEE department codes: 01…95 without 20 (split into 2A and 2B in 1976), and the overseas 971…976.
DEPARTMENT_PATTERN = r"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$"
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,80}$"
FEDERATION_PATTERN = r"^[a-z0-9-]{2,40}$"


class Strict(Schema):
    # (French messages for every schema, this one's "Champ inconnu." included: `shared.http.french`.)
    class Meta:
        unknown = RAISE


def Id(**kw):  # noqa: N802 - field factories read like marshmallow's fields
    return fields.Str(validate=validate.Regexp(ID_PATTERN, error="Ce n'est pas un identifiant valide."), **kw)


def FederationCode(**kw):  # noqa: N802
    return fields.Str(validate=validate.Regexp(FEDERATION_PATTERN, error="Un code de fédération est attendu (apmsl, femasaura…)."),
                      **kw)


def Department(**kw):  # noqa: N802
    return fields.Str(validate=validate.Regexp(DEPARTMENT_PATTERN,
                                               error="Ce n'est pas un code INSEE de département (01…95, 2A, 2B, 971…976)."),
                      **kw)


def Phone(**kw):  # noqa: N802
    return fields.Str(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 .()-]{6,20}$", error="Ce n'est pas un numéro de téléphone valide."),
                      **kw)


def Email(**kw):  # noqa: N802
    return fields.Email(allow_none=True, validate=validate.Length(max=254), **kw)


def _described(field_class, description: str, kw: dict, **defaults):
    metadata = {"description": description, **kw.pop("metadata", {})}
    return field_class(**{**defaults, **kw}, metadata=metadata)


def DocumentId(**kw):  # noqa: N802
    """A resource's own id (stored as `_id`)."""
    return _described(fields.Str, "The resource's identifier", kw, attribute="_id", required=True)


def RefId(**kw):  # noqa: N802
    """The id of what an event or a reference is about."""
    return _described(fields.Str, "Identifier", kw, required=True)


def FederationOf(**kw):  # noqa: N802
    return _described(fields.Str, "The federation it belongs to (apmsl, femasaura, femage…)", kw, required=True)


def VersionOf(**kw):  # noqa: N802
    return _described(fields.Int, "Its version: 1 when created, +1 on every change (the ETag, and the `sequence` "
                                  "of the events about it)", kw, required=True)
