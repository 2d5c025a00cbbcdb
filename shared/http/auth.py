"""Bearer JWT auth (claims `sub`, `federation`, `roles`) and federation scoping.

Two kinds of tokens: those of the OpenID Connect issuer OIDC_ISSUER (shared/http/oidc.py: RS256/ES256,
JWKS), and HS256 tokens of the shared secret JWT_SECRET (`maillage token`), accepted without an issuer
and, beside one, only in dev and test. A token is routed by its unverified `iss`.

Roles: `national` reads across federations; within a federation `admin` and `staff` run it,
`coordinator`, `trainer` and `member` are people of its network.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass

import jwt
from flask import current_app, g, request

from shared import clock
from shared.http.errors import abort

NATIONAL = "national"
STAFF_ROLES = frozenset({"admin", "staff"})
ALL_ROLES = frozenset({"national", "admin", "staff", "coordinator", "trainer", "member"})
# A token lives at most a day (`exp` − `iat`, or `exp` − now without `iat`): a leaked ten-year token is refused.
MAX_TOKEN_LIFETIME = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Principal:
    sub: str  # the registry person id when the token carries one (OIDC_PERSON_ID_CLAIM), else the subject
    federation: str | None
    roles: frozenset[str]
    # Read from OpenID Connect tokens (None for shared-secret ones): who signed in, by which means.
    email: str | None = None
    email_verified: bool = False
    person_id: str | None = None
    issuer: str | None = None

    @property
    def is_national(self) -> bool:
        return NATIONAL in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def can_read(self, federation: str | None) -> bool:
        return self.is_national or (federation is not None and federation == self.federation)

    def can_write(self, federation: str | None) -> bool:
        return federation is not None and federation == self.federation

    def manages(self, federation: str | None) -> bool:
        """Staff (admin, staff) of that very federation: runs its registry, meetings and cohorts.
        A national reader manages nothing."""
        return self.is_staff and self.can_write(federation)

    def scope(self, requested: str | None = None) -> dict:
        """Mongo filter restricting a query to what this principal may see."""
        if self.is_national:
            return {"federation": requested} if requested else {}
        if requested and requested != self.federation:
            return {"federation": {"$in": []}}
        return {"federation": self.federation}


def issue_token(settings, *, sub: str, federation: str | None, roles: list[str], ttl: int | None = None) -> str:
    now = clock.wall_now()
    if dt.timedelta(seconds=ttl or settings.jwt_ttl_seconds) > MAX_TOKEN_LIFETIME:
        raise ValueError(f"a token lives at most {MAX_TOKEN_LIFETIME.total_seconds() / 3600:g} h")
    claims = {"sub": sub, "federation": federation, "roles": list(roles), "iss": settings.jwt_issuer,
              "iat": now, "exp": now + dt.timedelta(seconds=ttl or settings.jwt_ttl_seconds)}
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


def decode_token(settings, token: str) -> Principal:
    """The principal of a valid token; raises `jwt.PyJWTError` naming why not (or
    `oidc.ProviderUnavailable` when the issuer's keys cannot be read)."""
    if settings.oidc_issuer:
        from shared.http import oidc

        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        if not (issuer == settings.jwt_issuer and settings.accepts_shared_secret_tokens):
            if issuer != settings.oidc_issuer:
                raise jwt.InvalidIssuerError(f"l'émetteur du jeton {issuer!r} n'est pas {settings.oidc_issuer!r}")
            verifier = oidc.verifier_for(settings)
            who = verifier.identity(verifier.claims(token))
            if who["federation"] is None and NATIONAL not in who["roles"]:
                raise jwt.InvalidTokenError("un jeton sans fédération doit porter le rôle national")
            return Principal(who["sub"], who["federation"], frozenset(who["roles"]), email=who["email"],
                             email_verified=who["email_verified"], person_id=who["person_id"],
                             issuer=settings.oidc_issuer)
    return _decode_shared_secret(settings, token)


def _decode_shared_secret(settings, token: str) -> Principal:
    claims = jwt.decode(token, settings.jwt_secret, algorithms=[settings.jwt_algorithm],
                        issuer=settings.jwt_issuer, options={"require": ["sub", "exp"]})
    _refuse_long_lived(claims)
    roles = claims.get("roles") or []
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise jwt.InvalidTokenError("roles doit être une liste de textes")
    federation = claims.get("federation")
    if federation is not None and not isinstance(federation, str):
        raise jwt.InvalidTokenError("federation doit être un texte")
    if federation is None and NATIONAL not in roles:
        raise jwt.InvalidTokenError("un jeton sans fédération doit porter le rôle national")
    return Principal(str(claims["sub"]), federation, frozenset(roles))


def _refuse_long_lived(claims: dict) -> None:
    start = claims.get("iat")
    start = start if isinstance(start, (int, float)) else clock.wall_now().timestamp()
    if claims["exp"] - start > MAX_TOKEN_LIFETIME.total_seconds():
        raise jwt.InvalidTokenError(
            f"le jeton vit plus de {MAX_TOKEN_LIFETIME.total_seconds() / 3600:g} h (exp - iat)")


ERASED = "La personne que ce jeton représente a été effacée du registre."
ALL_ROLES_ENDED = "Tous les rôles de la personne que ce jeton représente dans le registre ont pris fin."

# Why PyJWT refused a token, in French (most specific class first); the reasons Maillage raises itself are
# French already.
_PYJWT_REASONS = (
    (jwt.ExpiredSignatureError, "le jeton a expiré (exp)"),
    (jwt.ImmatureSignatureError, "le jeton n'est pas encore valide (nbf ou iat dans le futur)"),
    (jwt.InvalidAudienceError, "le jeton n'est pas destiné à cette API (aud)"),
    (jwt.InvalidIssuerError, "l'émetteur du jeton (iss) n'est pas celui attendu"),
    (jwt.InvalidIssuedAtError, "la date d'émission du jeton (iat) n'est pas valide"),
    (jwt.InvalidAlgorithmError, "l'algorithme de signature du jeton n'est pas accepté"),
    (jwt.InvalidSignatureError, "la signature du jeton n'est pas valide"),
    (jwt.InvalidKeyError, "la clé du jeton n'est pas valide"),
    (jwt.DecodeError, "le jeton est illisible (ce n'est pas un JWT valide)"),
)


def refusal_reason(exc: jwt.PyJWTError) -> str:
    """The reason a token is refused, in French: PyJWT's own English messages are replaced."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    if frame is None or "/jwt/" not in frame.tb_frame.f_code.co_filename.replace("\\", "/"):
        return str(exc)
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"il manque au jeton la revendication « {exc.claim} »"
    for kind, reason in _PYJWT_REASONS:
        if isinstance(exc, kind):
            return reason
    return "le jeton n'est pas valide"


def current_principal(optional: bool = False) -> Principal | None:
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    if not header:
        if optional:
            return None
        abort(401, "Un jeton Bearer est requis.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401, "L'en-tête Authorization doit être `Bearer <jeton>`.")
    from shared.http.oidc import ProviderUnavailable

    try:
        principal = decode_token(current_app.config["MAILLAGE_SETTINGS"], token.strip())
    except jwt.PyJWTError as exc:
        abort(401, f"Jeton refusé : {refusal_reason(exc)}.")
    except ProviderUnavailable as exc:
        abort(503, f"Les jetons ne peuvent pas être vérifiés pour le moment : {exc}.")
    principal = _bind_person(principal)
    g.principal = principal
    return principal


def _bind_person(principal: Principal) -> Principal:
    """An issuer's token stands for a registry person, read in this service's own copy of the registry: by its
    person id claim, else by its verified e-mail (then the principal's `sub` becomes that person's id, so that
    "my registrations / applications / preferences" work from the token alone). That person erased → 401,
    every registry role of theirs ended → 403; none found (yet) → the token as it is."""
    runtime = current_app.config.get("MAILLAGE_RUNTIME")
    if not principal.issuer or runtime is None or not (principal.person_id or principal.email_verified):
        return principal
    from shared.me import all_ended, find_person

    doc = find_person(runtime.db, principal)
    if doc is None:
        return principal
    if doc.get("erased") or doc.get("deleted"):
        abort(401, ERASED)
    if all_ended(doc, clock.today()):
        abort(403, ALL_ROLES_ENDED)
    if principal.person_id is None:
        principal = dataclasses.replace(principal, sub=str(doc["_id"]), person_id=str(doc["_id"]))
    return principal


def authorize(roles: tuple[str, ...]) -> Principal:
    """The caller's principal, if they hold one of `roles` (any valid token when empty); else 401/403."""
    principal = current_principal()
    if roles and not principal.has_any(*roles):
        abort(403, f"Il faut l'un de ces rôles : {', '.join(sorted(roles))}.")
    return principal


def requires(*roles: str):
    """Route decorator: a valid token, and (if given) one of `roles`."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            authorize(roles)
            return view(*args, **kwargs)
        wrapper.required_roles = roles  # read by the auth-first check and the OpenAPI document
        return wrapper
    return decorator
