"""The embedded OpenID Connect provider of `make dev` (and of the tests): PyPI's `oidc-provider-mock`.

Not an identity provider of our own: the package (Flask + Authlib) does discovery, the authorization
code flow, the token endpoint, JWKS and userinfo. Three things are set around it:

* its access tokens are JWTs (RS256, its own key, `kid` in the header) carrying `iss`, `aud`, `exp`,
  `iat`, `nbf` and the person's claims (`federation`, `roles`, `person_id`, `email`…), through Authlib's
  `OAUTH2_ACCESS_TOKEN_GENERATOR` — the services verify them as they would Keycloak's;
* PKCE (S256) is enforced for public clients (Authlib's `CodeChallenge` on its authorization-code grant);
* it is pre-loaded with the demo people of `maillage seed`: one staff member per demo federation,
  coordinators, a trainer and a national reader. Their subject is their e-mail, so the provider's
  sign-in page shows whom you sign in as.

`DevProvider(...).start()` serves it on 127.0.0.1 in a thread; `.rotate_key()` and `.sign()` are for the
tests (a rotated key, tokens of chosen claims signed with the provider's key).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import jwt

from shared import clock

DEV_AUDIENCE = "maillage"
CLI_CLIENT_ID = "maillage-cli"
CLI_REDIRECT_URI = "http://127.0.0.1/maillage-cli/callback"
ISSUER_FILE = "dev-oidc-issuer"  # in VAR_DIR: where `maillage token --as` finds the running provider


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    federation: str | None
    roles: tuple[str, ...]
    person_id: str | None  # their registry person (maillage seed), None for the national reader
    what: str


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@demo.maillage.invalid".lower()


def demo_people() -> list[DemoPerson]:
    """Who can sign in under `make dev`, taken from the registry's demo data."""
    from services.registry.demo import DEMO_STAFF
    from services.registry.store import reference

    people: list[DemoPerson] = []
    for federation, rows in DEMO_STAFF.items():
        person_id, first, last = rows[0]
        people.append(DemoPerson(_email(first, last), f"{first} {last}", federation, ("staff",), person_id,
                                 f"staff of {federation}"))
    trainer = DEMO_STAFF["apmsl"][1]
    people.append(DemoPerson(_email(trainer[1], trainer[2]), f"{trainer[1]} {trainer[2]}", "apmsl", ("trainer",),
                             trainer[0], "trainer (apmsl)"))
    coordinators: dict[str, int] = {}
    for p in reference("demo_network")["demo_people"]:
        if coordinators.get(p["federation"], 0) >= 2 or not p.get("email"):
            continue
        coordinators[p["federation"]] = coordinators.get(p["federation"], 0) + 1
        people.append(DemoPerson(p["email"], f"{p['first_name']} {p['last_name']}", p["federation"],
                                 ("coordinator",), p["id"], f"coordinator ({p['federation']})"))
    people.append(DemoPerson("lecture.nationale@demo.maillage.invalid", "Lecture nationale", None, ("national",),
                             None, "national reader (every federation, read only)"))
    return people


def user_claims(person: DemoPerson) -> dict:
    claims = {"email": person.email, "email_verified": True, "name": person.name,
              "roles": list(person.roles)}
    if person.federation:
        claims["federation"] = person.federation
    if person.person_id:
        claims["person_id"] = person.person_id
    return claims


# Claims of the ID token's user copied into the access token (the rest is profile information).
ACCESS_TOKEN_CLAIMS = ("federation", "roles", "person_id", "email", "email_verified", "name",
                       "realm_access", "preferred_username")


class DevProvider:
    """oidc-provider-mock with JWT access tokens and PKCE, served on 127.0.0.1:`port` (0: a free one)."""

    def __init__(self, people: list[DemoPerson] | None = None, *, users: list | None = None,
                 audience: str = DEV_AUDIENCE, access_token_ttl: dt.timedelta = dt.timedelta(hours=1),
                 port: int = 0):
        from oidc_provider_mock import User

        if users is None:
            users = [User(sub=p.email, claims=user_claims(p)) for p in (people if people is not None else demo_people())]
        self.users = users
        self.audience = audience
        self.access_token_ttl = access_token_ttl
        self.port = port
        self.app = self._build_app()
        self.server = None
        self._thread: threading.Thread | None = None

    # --- the Flask app --------------------------------------------------------------------------------
    def _build_app(self):
        import flask
        import oidc_provider_mock
        from oidc_provider_mock import _app as mock_app

        app = flask.Flask("maillage.dev_identity", root_path=str(Path(oidc_provider_mock.__file__).parent))
        app.config["OAUTH2_ACCESS_TOKEN_GENERATOR"] = self._access_token  # read by Authlib's init_app
        oidc_provider_mock.init_app(app, user_claims=self.users, access_token_max_age=self.access_token_ttl)
        app.secret_key = secrets.token_bytes(16)
        with app.test_request_context():
            app.preprocess_request()  # the package keeps its storage and server in `flask.g`
            self.storage = flask.g.oidc_provider_mock_storage
            server = flask.g._authlib_authorization_server
        _enforce_pkce(server, mock_app.AuthorizationCodeGrant)
        return app

    def _access_token(self, client, grant_type, user, scope):
        import flask

        now = int(clock.wall_now().timestamp())
        claims = {"iss": flask.request.host_url.rstrip("/"), "aud": self.audience, "sub": user.sub,
                  "iat": now, "nbf": now, "exp": now + int(self.access_token_ttl.total_seconds()),
                  "azp": client.get_client_id(), "scope": scope or "", "jti": secrets.token_urlsafe(12),
                  **{k: v for k, v in user.claims.items() if k in ACCESS_TOKEN_CLAIMS}}
        return self.sign(claims)

    # --- keys, for the tests ----------------------------------------------------------------------------
    @property
    def key(self):
        return self.storage.jwk

    def kid(self, key=None) -> str:
        return (key or self.key).as_dict()["kid"]

    def rotate_key(self):
        """A new signing key; the JWKS then serves only it. Returns the old one."""
        from authlib import jose

        old = self.storage.jwk
        self.storage.jwk = jose.RSAKey.generate_key(is_private=True)
        return old

    def sign(self, claims: dict, *, key=None, headers: dict | None = None, algorithm: str = "RS256") -> str:
        key = key or self.key
        return jwt.encode(claims, key.get_private_key(), algorithm=algorithm,
                          headers={"kid": self.kid(key), "typ": "at+jwt", **(headers or {})})

    def claims(self, **overrides) -> dict:
        """Access-token claims as this provider issues them, for tests to change one at a time."""
        now = int(clock.wall_now().timestamp())
        base = {"iss": self.issuer, "aud": self.audience, "sub": "someone@demo.maillage.invalid", "iat": now,
                "nbf": now, "exp": now + 600, "federation": "apmsl", "roles": ["staff"]}
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    # --- serving -------------------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "DevProvider":
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="dev-oidc-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self._thread is not None:
            self._thread.join(2)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _enforce_pkce(server, mock_grant) -> None:
    """Register Authlib's CodeChallenge (S256, required for public clients) on the package's grant.

    The package registers its grant without it; its grant class is swapped for one that keeps the
    challenge with the code. (Reaches into Authlib's registry: pinned versions, covered by a test.)
    """
    from authlib.oauth2.rfc7636 import CodeChallenge
    from oidc_provider_mock._storage import AuthorizationCode, storage

    @dataclass(kw_only=True, frozen=True)
    class PkceCode(AuthorizationCode):
        code_challenge: str | None = None
        code_challenge_method: str | None = None

        def get_code_challenge(self):
            return self.code_challenge

        def get_code_challenge_method(self):
            return self.code_challenge_method

    class PkceGrant(mock_grant):
        # A public client (the web console, the CLI) authenticates with nothing but its PKCE verifier.
        TOKEN_ENDPOINT_AUTH_METHODS = [*mock_grant.TOKEN_ENDPOINT_AUTH_METHODS, "none"]

        def save_authorization_code(self, code, request):
            super().save_authorization_code(code, request)
            saved = storage.get_authorization_code(code)
            data = request.payload.data
            storage.store_authorization_code(PkceCode(
                **{f: getattr(saved, f) for f in ("code", "client_id", "redirect_uri", "user_id", "scope", "nonce")},
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method")))

    for registry in (server._authorization_grants, server._token_grants):
        for i, (cls, extensions) in enumerate(registry):
            if cls is mock_grant:
                if not any(isinstance(e, CodeChallenge) for e in extensions):
                    extensions.append(CodeChallenge(required=True))
                registry[i] = (PkceGrant, extensions)


# --- a client: the authorization code + PKCE flow, driven without a browser --------------------------------
def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def sign_in(issuer: str, subject: str, *, client_id: str = CLI_CLIENT_ID, redirect_uri: str = CLI_REDIRECT_URI,
            scope: str = "openid email profile", timeout: float = 10) -> dict:
    """Sign in as `subject` (an e-mail of the demo people) on the embedded provider's page, exchange the
    code with its PKCE verifier: the token response ({access_token, id_token, ...})."""
    import requests

    metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=timeout).json()
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
              "state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
    page = requests.get(metadata["authorization_endpoint"], params=params, timeout=timeout)
    page.raise_for_status()
    answer = requests.post(metadata["authorization_endpoint"], params=params, data={"sub": subject},
                           allow_redirects=False, timeout=timeout)
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"the provider did not redirect after sign-in (HTTP {answer.status_code})")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(answer.headers["Location"]).query)
    if query.get("state") != [state] or "code" not in query:
        raise RuntimeError(f"the provider answered {query.get('error', ['no code'])[0]}")
    token = requests.post(metadata["token_endpoint"], timeout=timeout, data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier})
    if token.status_code != 200:
        raise RuntimeError(f"the token endpoint refused the code: {token.text.strip()[:200]}")
    return token.json()
