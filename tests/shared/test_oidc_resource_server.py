"""The apis as resource servers of an OpenID Connect provider: the real one `make dev` embeds
(oidc-provider-mock on a free port, its discovery and JWKS over HTTP), not a mock of PyJWT.

Every refused token answers 401 problem+json naming the reason, and nothing is written.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from authlib import jose
from cryptography.hazmat.primitives import serialization

from shared.dev_identity import DemoPerson, DevProvider, sign_in
from shared.http.auth import decode_token, issue_token
from shared.runtime import ServiceRuntime

STAFF = DemoPerson("claire.bodin@demo.maillage.invalid", "Claire Bodin", "apmsl", ("staff",), "demo-staff-apmsl-1",
                   "staff of apmsl")
STRUCTURE = {"kind": "MSP", "name": "MSP de Clisson", "city": "Clisson", "department": "44"}


@pytest.fixture
def provider():
    with DevProvider([STAFF]) as p:
        yield p


@pytest.fixture
def registry(settings, provider):
    """The registry api trusting the provider (no cooldown between JWKS refetches, for the rotation)."""
    trusting = settings.replace(oidc_issuer=provider.issuer, oidc_jwks_refresh_cooldown_seconds=0)
    runtime = ServiceRuntime("registry", trusting)
    runtime.ensure_indexes()
    app = runtime.create_app()
    app.runtime = runtime
    return app


def post_structure(app, token):
    return app.test_client().post("/registry/v1/structures", json=STRUCTURE,
                                  headers={"Authorization": f"Bearer {token}"} if token else {})


def structures_written(app) -> int:
    return app.runtime.db["structures"].count_documents({})


def assert_refused(app, token, reason):
    response = post_structure(app, token)
    assert response.status_code == 401, response.json
    assert response.mimetype == "application/problem+json"
    assert reason in response.json["detail"], response.json["detail"]
    assert structures_written(app) == 0


def test_a_token_from_the_sign_in_flow_is_accepted(registry, provider):
    token = sign_in(provider.issuer, STAFF.email)["access_token"]

    created = post_structure(registry, token)

    assert created.status_code == 201, created.json
    assert created.json["federation"] == "apmsl"
    listed = registry.test_client().get("/registry/v1/structures", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and listed.json["total"] == 1


# Claims as a function of the moment the test runs (not of collection time: a long suite would age them).
@pytest.mark.parametrize("overrides, reason", [
    (lambda now: {"iat": now - 900, "nbf": now - 900, "exp": now - 300}, "le jeton a expiré"),
    (lambda now: {"nbf": now + 600}, "pas encore valide"),
    (lambda now: {"iss": "https://idp.example.org"}, "l'émetteur du jeton"),
    (lambda now: {"aud": "another-api"}, "pas destiné à cette API (aud)"),
    (lambda now: {"exp": now + 25 * 3600}, "vit plus de 24 h"),
    (lambda now: {"iat": None}, "il manque au jeton la revendication « iat »"),
], ids=["expired", "not-yet-valid", "wrong-issuer", "wrong-audience", "lifetime-over-the-maximum", "no-iat"])
def test_a_token_of_the_provider_with_a_bad_claim_is_refused(registry, provider, overrides, reason):
    assert_refused(registry, provider.sign(provider.claims(**overrides(int(time.time())))), reason)


def test_a_wrong_issuer_even_when_signed_by_the_trusted_key_is_refused(registry, provider):
    claims = provider.claims(iss=provider.issuer + "/other-realm")

    assert_refused(registry, provider.sign(claims), "l'émetteur du jeton")


def test_a_key_the_provider_does_not_publish_is_refused(registry, provider):
    stranger = jose.RSAKey.generate_key(is_private=True)

    assert_refused(registry, provider.sign(provider.claims(), key=stranger), "clé de signature inconnue")


def test_after_a_key_rotation_the_new_key_is_fetched_and_the_deleted_one_refused(registry, provider):
    assert post_structure(registry, provider.sign(provider.claims())).status_code == 201  # JWKS now cached
    registry.runtime.db["structures"].delete_many({})

    old = provider.rotate_key()

    assert post_structure(registry, provider.sign(provider.claims())).status_code == 201  # unknown kid: refetched
    registry.runtime.db["structures"].delete_many({})
    # The refetched JWKS no longer has the old key (a deleted key is trusted at most until the next fetch).
    assert_refused(registry, provider.sign(provider.claims(), key=old), "clé de signature inconnue")


def test_alg_none_is_refused(registry, provider):
    token = jwt.encode(provider.claims(), None, algorithm="none", headers={"kid": provider.kid()})

    assert_refused(registry, token, "l'algorithme 'none' n'est pas accepté")


def test_hs256_signed_with_the_providers_public_key_is_refused(registry, provider):
    """Algorithm confusion: a verifier using the public key as an HMAC secret would accept this."""
    public_pem = provider.key.get_public_key().public_bytes(serialization.Encoding.PEM,
                                                            serialization.PublicFormat.SubjectPublicKeyInfo)

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = ".".join([b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": provider.kid()}).encode()),
                              b64(json.dumps(provider.claims()).encode())])
    token = signing_input + "." + b64(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())

    assert_refused(registry, token, "l'algorithme 'HS256' n'est pas accepté")


def test_no_token_and_an_invalid_body_is_401_not_422(registry):
    response = registry.test_client().post("/registry/v1/structures", json={"kind": "not a kind"})

    assert response.status_code == 401
    assert structures_written(registry) == 0


def test_an_id_token_is_not_an_access_token(registry, provider):
    """The ID token is signed by the same key, for the client (its audience is the client id)."""
    id_token = sign_in(provider.issuer, STAFF.email)["id_token"]

    assert_refused(registry, id_token, "Jeton refusé")


def test_roles_and_federation_are_read_from_the_configured_claims(settings, provider):
    keycloak_like = settings.replace(oidc_issuer=provider.issuer, oidc_roles_claim="realm_access.roles",
                                     oidc_federation_claim="org.federation", oidc_person_id_claim="")
    claims = provider.claims(roles=None, federation=None, sub="kc-1234",
                             realm_access={"roles": ["staff", "offline_access", "default-roles-maillage"]},
                             org={"federation": "femage"})

    principal = decode_token(keycloak_like, provider.sign(claims))

    assert (principal.sub, principal.federation, principal.roles) == ("kc-1234", "femage", frozenset({"staff"}))


def test_the_person_id_claim_becomes_the_principals_subject(settings, provider):
    trusting = settings.replace(oidc_issuer=provider.issuer)
    claims = provider.claims(sub="claire.bodin@demo.maillage.invalid", person_id="demo-staff-apmsl-1",
                             email="claire.bodin@demo.maillage.invalid", email_verified=True)

    principal = decode_token(trusting, provider.sign(claims))

    assert principal.sub == principal.person_id == "demo-staff-apmsl-1"
    assert principal.email_verified and principal.email == "claire.bodin@demo.maillage.invalid"


def test_shared_secret_tokens_keep_working_beside_the_issuer_in_dev_and_test(settings, provider):
    trusting = settings.replace(oidc_issuer=provider.issuer)

    principal = decode_token(trusting, issue_token(trusting, sub="tool", federation="apmsl", roles=["admin"]))

    assert principal.sub == "tool"


def test_in_production_with_an_issuer_shared_secret_tokens_are_refused(settings, provider):
    production = settings.replace(oidc_issuer=provider.issuer, env="production")
    token = issue_token(production, sub="tool", federation="apmsl", roles=["admin"])

    with pytest.raises(jwt.InvalidIssuerError, match="n'est pas"):
        decode_token(production, token)


def test_an_unreachable_provider_is_503_not_a_crash(settings):
    from shared.ports import free_port

    down = settings.replace(oidc_issuer=f"http://127.0.0.1:{free_port()}", oidc_http_timeout_seconds=1)
    runtime = ServiceRuntime("registry", down)
    app = runtime.create_app()
    token = jwt.encode({"iss": down.oidc_issuer, "sub": "x"}, "k" * 32, algorithm="HS256")  # any shape
    forged = jwt.encode({"iss": down.oidc_issuer, "sub": "x", "aud": "maillage"},
                        jose.RSAKey.generate_key(is_private=True).get_private_key(), algorithm="RS256",
                        headers={"kid": "k1"})

    assert app.test_client().get("/registry/v1/structures", headers={"Authorization": f"Bearer {token}"}
                                 ).status_code == 401
    response = app.test_client().get("/registry/v1/structures", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 503 and "illisible" in response.json["detail"]
