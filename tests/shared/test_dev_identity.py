"""`make dev`'s identity provider: the demo people sign in through the authorization code + PKCE flow,
and the services take the access tokens it gives; `maillage token --as <e-mail>` gets one."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import requests

from shared import dev_identity
from shared.dev_identity import CLI_REDIRECT_URI, DevProvider, demo_people, pkce_pair, sign_in
from shared.ports import free_port, port_open
from shared.runtime import ServiceRuntime
from shared.testing.broker_cleanup import delete_dev_run_queues

pytestmark = pytest.mark.integration  # starts real processes: a store, the dev server, gunicorn

ROOT = Path(__file__).resolve().parents[2]
MAILLAGE = str(Path(sys.executable).with_name("maillage"))


def test_the_demo_people_cover_every_kind_of_user():
    people = demo_people()
    kinds = {(p.federation, p.roles) for p in people}

    assert {("apmsl", ("staff",)), ("femage", ("staff",)), ("femasaura", ("staff",))} <= kinds
    assert any(p.roles == ("coordinator",) for p in people)
    assert any(p.roles == ("trainer",) for p in people)
    assert (None, ("national",)) in kinds
    assert len({p.email for p in people}) == len(people)
    assert all(p.person_id for p in people if "national" not in p.roles)  # their registry person (maillage seed)


@pytest.fixture(scope="module")
def provider():
    with DevProvider() as p:
        yield p


def test_a_coordinator_signs_in_with_code_and_pkce_and_the_api_accepts_the_token(provider, settings):
    coordinator = next(p for p in demo_people() if p.roles == ("coordinator",))
    answer = sign_in(provider.issuer, coordinator.email)
    app = ServiceRuntime("registry", settings.replace(oidc_issuer=provider.issuer)).create_app()

    listed = app.test_client().get("/registry/v1/structures",
                                   headers={"Authorization": f"Bearer {answer['access_token']}"})

    assert answer["token_type"].lower() == "bearer" and answer["id_token"]
    assert listed.status_code == 200, listed.json


def _code(provider, challenge: str | None) -> tuple[str, dict]:
    params = {"response_type": "code", "client_id": "maillage-web", "redirect_uri": CLI_REDIRECT_URI,
              "scope": "openid email", "state": "s1"}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    answer = requests.post(f"{provider.issuer}/oauth2/authorize", params=params,
                           data={"sub": demo_people()[0].email}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    return urllib.parse.parse_qs(urllib.parse.urlparse(answer.headers["Location"]).query)["code"][0], params


@pytest.mark.parametrize("verifier", ["a-verifier-that-is-not-the-right-one-but-is-long-enough-1234", None])
def test_a_public_client_without_the_right_pkce_verifier_gets_no_token(provider, verifier):
    code, params = _code(provider, pkce_pair()[1])
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CLI_REDIRECT_URI,
            "client_id": params["client_id"], **({"code_verifier": verifier} if verifier else {})}

    answer = requests.post(f"{provider.issuer}/oauth2/token", data=form, timeout=10)

    assert answer.status_code == 400 and "access_token" not in answer.json()


def test_the_access_token_carries_the_persons_claims(provider):
    staff = demo_people()[0]
    import jwt

    claims = jwt.decode(sign_in(provider.issuer, staff.email)["access_token"], options={"verify_signature": False})

    assert (claims["iss"], claims["aud"], claims["federation"], claims["roles"], claims["person_id"]) == \
        (provider.issuer, "maillage", staff.federation, list(staff.roles), staff.person_id)
    assert claims["email_verified"] is True and claims["exp"] - claims["iat"] <= 3600


def test_make_dev_embeds_the_provider_and_maillage_token_as_gets_a_real_token(tmp_path):
    port, idp_port = free_port(), free_port()
    env = {**{k: v for k, v in os.environ.items() if k not in {"MONGO_URL", "AMQP_URL", "OIDC_ISSUER"}},
           "MAILLAGE_ENV": "dev", "PORT": str(port), "OIDC_DEV_PORT": str(idp_port),
           "VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([MAILLAGE, "dev"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT, env=env)
    try:
        banner, deadline = "", time.monotonic() + 90
        while "Ctrl-C stops everything." not in banner and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, f"maillage dev exited: {proc.stderr.read()}"
            banner += line
        issuer = f"http://127.0.0.1:{idp_port}"
        assert f"OpenID Connect provider {issuer}" in banner
        coordinator = next(p for p in demo_people() if p.roles == ("coordinator",))
        assert f"token --as {coordinator.email}" in banner

        signed_in = subprocess.run([MAILLAGE, "token", "--as", coordinator.email], capture_output=True, text=True,
                                   env=env, cwd=ROOT, timeout=60)
        shared_secret = subprocess.run([MAILLAGE, "token", "--federation", "apmsl", "--role", "admin"],
                                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        for result in (signed_in, shared_secret):
            assert result.returncode == 0, result.stderr
            request = urllib.request.Request(f"http://127.0.0.1:{port}/registry/v1/structures",
                                             headers={"Authorization": f"Bearer {result.stdout.strip()}"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200 and "items" in json.loads(answer.read())
        unknown = subprocess.run([MAILLAGE, "token", "--as", "nobody@example.org"], capture_output=True, text=True,
                                 env=env, cwd=ROOT, timeout=60)
        assert unknown.returncode != 0 and "not one of the demo people" in unknown.stderr

        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert "identity provider" in out
        assert not port_open("127.0.0.1", idp_port)
        assert not (tmp_path / "var" / dev_identity.ISSUER_FILE).exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        delete_dev_run_queues(tmp_path / "var")
