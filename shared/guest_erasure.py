"""The signed link that lets an outside guest (registered by e-mail, not in the registry) erase
themself: events serves it, notifications puts it in every e-mail a guest receives.

Signed with the links secret (`settings.link_signing_secret`, checked at start-up like JWT_SECRET) and
dated (itsdangerous): valid for a year after the e-mail. The token names the federation and the address.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "maillage.guest-erasure"
MAX_AGE_SECONDS = 366 * 24 * 3600
PATH = "/events/v1/guests/erasure"


class BadLink(ValueError):
    pass


def normalized(email: str) -> str:
    return email.strip().lower()


def email_digest(email: str) -> str:
    """What events publish about an erased guest: a digest, never the address itself."""
    return hashlib.sha256(normalized(email).encode("utf-8")).hexdigest()


def _serializer(settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.link_signing_secret, salt=SALT)


def sign(settings, federation: str, email: str) -> str:
    return _serializer(settings).dumps({"f": federation, "e": normalized(email)})


def verify(settings, token: str) -> dict:
    """{"federation", "email"} of a valid token, else `BadLink`."""
    try:
        claims = _serializer(settings).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        raise BadLink("Ce lien d'effacement n'est pas valide (ou date de plus d'un an).") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("f"), str) or not isinstance(claims.get("e"), str):
        raise BadLink("Ce lien d'effacement n'est pas valide.")
    return {"federation": claims["f"], "email": claims["e"]}


def url(settings, federation: str, email: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}{PATH}?token={quote(sign(settings, federation, email))}"
