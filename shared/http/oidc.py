"""Resource server of an OpenID Connect issuer: the access tokens it signs become a `Principal`.

Discovery (`<issuer>/.well-known/openid-configuration`, or OIDC_DISCOVERY_URL) is read on the first token,
not at start-up (an api starts while its provider is down). The JWKS is PyJWT's `PyJWKClient`: cached
for five minutes, refetched once when a token names an unknown `kid` (a rotated key), at most every
OIDC_JWKS_REFRESH_COOLDOWN seconds so that made-up `kid`s cannot make the api hammer the provider.

Only RS256 and ES256: `alg: none`, and HS256 "signed" with the provider's public key (algorithm
confusion), are refused before any key is looked up. `iss`, `aud`, `exp`, `nbf` (when present), `iat`
and a maximum lifetime (`exp` - `iat`) are checked by PyJWT; the claims carrying the federation, the
roles and the registry person id are configurable (dotted paths: Keycloak's `realm_access.roles`).
"""
from __future__ import annotations

import json
import threading
import urllib.request

import jwt

ALGORITHMS = ("RS256", "ES256")
JWKS_LIFESPAN_SECONDS = 300
LEEWAY_SECONDS = 30  # clocks of the provider and the api may differ a little


class ProviderUnavailable(Exception):
    """Discovery or JWKS could not be read: not the caller's fault (503)."""


class OidcVerifier:
    def __init__(self, settings):
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.discovery_url = (settings.oidc_discovery_url.rstrip("/") or self.issuer)
        if not self.discovery_url.endswith("/.well-known/openid-configuration"):
            self.discovery_url += "/.well-known/openid-configuration"
        self.audience = settings.oidc_audience
        self.federation_claim = settings.oidc_federation_claim
        self.roles_claim = settings.oidc_roles_claim
        self.person_id_claim = settings.oidc_person_id_claim
        self.max_lifetime = settings.oidc_max_token_lifetime_seconds
        self.cooldown = settings.oidc_jwks_refresh_cooldown_seconds
        self.timeout = settings.oidc_http_timeout_seconds
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def jwks_client(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._jwks is None:
                metadata = self._discover()
                self._jwks = jwt.PyJWKClient(metadata["jwks_uri"], cache_jwk_set=True,
                                             lifespan=JWKS_LIFESPAN_SECONDS, timeout=self.timeout,
                                             cooldown_duration=self.cooldown)
            return self._jwks

    def _discover(self) -> dict:
        try:
            with urllib.request.urlopen(self.discovery_url, timeout=self.timeout) as response:  # noqa: S310
                metadata = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise ProviderUnavailable(f"le document de découverte du fournisseur d'identité {self.discovery_url} "
                                      f"est illisible ({exc})") from None
        if metadata.get("issuer", "").rstrip("/") != self.issuer:
            raise ProviderUnavailable(f"le document de découverte nomme l'émetteur {metadata.get('issuer')!r}, "
                                      f"et non {self.issuer!r}")
        if not metadata.get("jwks_uri"):
            raise ProviderUnavailable("le document de découverte n'a pas de jwks_uri")
        return metadata

    def claims(self, token: str) -> dict:
        """The verified claims of `token`; raises `jwt.InvalidTokenError` naming the reason."""
        header = jwt.get_unverified_header(token)
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(
                f"l'algorithme {alg!r} n'est pas accepté (seulement {', '.join(ALGORITHMS)})")
        if not header.get("kid"):
            raise jwt.InvalidTokenError("le jeton ne nomme aucune clé de signature (kid)")
        try:
            key = self.jwks_client().get_signing_key(header["kid"])
        except jwt.PyJWKClientConnectionError as exc:
            raise ProviderUnavailable(f"les clés du fournisseur d'identité sont illisibles ({exc})") from None
        except jwt.PyJWKClientError:
            raise jwt.InvalidTokenError(f"clé de signature inconnue (kid {header['kid']!r})") from None
        claims = jwt.decode(token, key, algorithms=list(ALGORITHMS), issuer=self.issuer, audience=self.audience,
                            leeway=LEEWAY_SECONDS, options={"require": ["sub", "exp", "iat", "iss", "aud"]})
        if not isinstance(claims["iat"], (int, float)) or not isinstance(claims["exp"], (int, float)):
            raise jwt.InvalidTokenError("exp et iat doivent être des nombres")
        if claims["exp"] - claims["iat"] > self.max_lifetime:
            raise jwt.InvalidTokenError(
                f"le jeton vit plus de {self.max_lifetime / 3600:g} h (exp - iat)")
        return claims

    def identity(self, claims: dict) -> dict:
        """{sub, federation, roles, email, email_verified} read from the configured claims."""
        from shared.http.auth import ALL_ROLES

        roles = claim_at(claims, self.roles_claim)
        if roles is None:
            roles = []
        if isinstance(roles, str):
            roles = roles.split()
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise jwt.InvalidTokenError(f"{self.roles_claim} doit être une liste de textes")
        federation = claim_at(claims, self.federation_claim)
        if isinstance(federation, list) and len(federation) == 1:  # a Keycloak attribute may come as a list
            federation = federation[0]
        if federation is not None and not isinstance(federation, str):
            raise jwt.InvalidTokenError(f"{self.federation_claim} doit être un texte")
        person_id = claim_at(claims, self.person_id_claim) if self.person_id_claim else None
        email = claims.get("email") if isinstance(claims.get("email"), str) else None
        return {"sub": str(person_id or claims["sub"]), "federation": federation or None,
                # Keycloak adds its own roles (offline_access, default-roles-…): only Maillage's count.
                "roles": [r for r in roles if r in ALL_ROLES],
                "person_id": str(person_id) if person_id else None, "subject": str(claims["sub"]),
                "email": email, "email_verified": claims.get("email_verified") is True}


def claim_at(claims: dict, path: str):
    """`realm_access.roles` → claims["realm_access"]["roles"] (a claim literally named so wins)."""
    if not path:
        return None
    if path in claims:
        return claims[path]
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


_verifiers: dict[tuple, OidcVerifier] = {}
_verifiers_lock = threading.Lock()


def verifier_for(settings) -> OidcVerifier:
    """One verifier (and JWKS cache) per configuration, shared by the apps of a process."""
    key = (settings.oidc_issuer, settings.oidc_discovery_url, settings.oidc_audience, settings.oidc_federation_claim,
           settings.oidc_roles_claim, settings.oidc_person_id_claim, settings.oidc_max_token_lifetime_seconds,
           settings.oidc_jwks_refresh_cooldown_seconds, settings.oidc_http_timeout_seconds)
    with _verifiers_lock:
        if key not in _verifiers:
            _verifiers[key] = OidcVerifier(settings)
        return _verifiers[key]
