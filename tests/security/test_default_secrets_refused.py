"""Outside dev, an api or a worker with a missing, published or short secret does not start (issue 10, item 1)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared.config import Settings, load_settings
from shared.startup_checks import PUBLISHED_SECRETS, UnsafeStart, refuse_unsafe_start, unsafe_settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STRONG = "k3Jx9-" + "q" * 10 + "ZpLw7uV2mN4bR8tY1cE6"  # 36 bytes, in no example


def _env(**values) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("JWT_SECRET", "LINK_SECRET", "MAILLAGE_ENV")}
    env.update({k: v for k, v in values.items() if v is not None})
    return env


def _refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("maillage:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _gunicorn(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "services.registry.app:create_app()"],
                          cwd=ROOT, env={**env, "PORT": "0"}, capture_output=True, text=True, timeout=60)


def _example_value(name: str) -> str:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return re.search(rf"^{name}=(.*)$", text, re.M).group(1)


# --- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("secret,reason", [
    (None, "JWT_SECRET is not set"),
    ("", "JWT_SECRET is not set"),
    (Settings().jwt_secret, "JWT_SECRET is not set"),
    ("change-me-in-production", "published"),
    ("replace-with-a-long-random-value", "published"),
    ("a" * 31, "shorter than 32 bytes"),
])
def test_production_settings_with_a_weak_jwt_secret_are_unsafe(monkeypatch, secret, reason):
    for name in ("JWT_SECRET", "LINK_SECRET", "MAILLAGE_ENV"):
        monkeypatch.delenv(name, raising=False)
    if secret is not None:
        monkeypatch.setenv("JWT_SECRET", secret)
    settings = load_settings()
    assert settings.env == "production"
    assert any(reason in problem for problem in unsafe_settings(settings)), unsafe_settings(settings)
    with pytest.raises(UnsafeStart):
        refuse_unsafe_start(settings, "the registry api")


def test_a_strong_secret_is_accepted_in_production(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", STRONG)
    monkeypatch.delenv("MAILLAGE_ENV", raising=False)
    monkeypatch.delenv("LINK_SECRET", raising=False)
    refuse_unsafe_start(load_settings(), "the registry api")


def test_the_link_signing_secret_falls_under_the_same_rule(monkeypatch):
    monkeypatch.setenv("JWT_SECRET", STRONG)
    monkeypatch.setenv("LINK_SECRET", "short")
    monkeypatch.delenv("MAILLAGE_ENV", raising=False)
    assert unsafe_settings(load_settings()) == ["LINK_SECRET is shorter than 32 bytes"]
    monkeypatch.delenv("LINK_SECRET")
    assert load_settings().link_signing_secret == STRONG  # unset: JWT_SECRET signs the links


def test_dev_and_test_environments_keep_the_builtin_secret(monkeypatch):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    for env in ("dev", "test"):
        monkeypatch.setenv("MAILLAGE_ENV", env)
        settings = load_settings()
        assert settings.jwt_secret == Settings().jwt_secret and unsafe_settings(settings) == []
        refuse_unsafe_start(settings, "the registry api")


def test_every_secret_written_in_the_repository_is_refused():
    example = _example_value("JWT_SECRET")
    assert example == "", "the example holds no usable JWT_SECRET"
    secret_example = yaml.safe_load((ROOT / "deploy/k8s/secret.example.yaml").read_text())
    assert secret_example["stringData"]["JWT_SECRET"] == ""
    for value in PUBLISHED_SECRETS:
        assert unsafe_settings(Settings(jwt_secret=value)), value
    assert unsafe_settings(Settings(jwt_secret=_example_value("JWT_SECRET") or Settings().jwt_secret))


def test_compose_and_kubernetes_have_no_fallback_for_secrets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["x-maillage-env"]
    assert env["MAILLAGE_ENV"].endswith("production}")
    assert re.fullmatch(r"\$\{JWT_SECRET:\?.+\}", env["JWT_SECRET"]), env["JWT_SECRET"]
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"\$\{\w*SECRET\w*:?-", text), "a secret with a default value in docker-compose.yml"
    for path in (ROOT / "deploy/k8s").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            for key, value in ((doc or {}).get("data") or {}).items():
                assert "SECRET" not in key, f"{path.name} puts {key} in a ConfigMap"
            for key, value in ((doc or {}).get("stringData") or {}).items():
                if "SECRET" in key:
                    assert value == "", f"{path.name} has a value for {key}"


# --- the processes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("secret", [None, "change-me-in-production", Settings().jwt_secret, "too-short-secret"],
                         ids=["missing", "compose-fallback", "builtin-dev", "short"])
def test_a_production_api_refuses_to_start_with_one_line(secret):
    line = _refusal(_gunicorn(_env(JWT_SECRET=secret)))
    assert "the registry api refuses to start with MAILLAGE_ENV=production" in line and "JWT_SECRET" in line


def test_a_production_worker_refuses_to_start_with_one_line(settings):
    result = subprocess.run([str(BIN / "maillage"), "worker", "events"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=_env(MONGO_URL=settings.mongo_url, MONGO_DB_PREFIX=settings.mongo_db_prefix,
                                                 AMQP_URL="memory://localhost/", JWT_SECRET="change-me-in-production",
                                                 VAR_DIR=settings.var_dir))
    assert "the events worker refuses to start" in _refusal(result)


def test_an_api_built_from_the_environment_with_a_strong_secret_serves(settings, monkeypatch):
    from services.registry.app import create_app

    for key, value in {"MONGO_URL": settings.mongo_url, "MONGO_DB_PREFIX": settings.mongo_db_prefix,
                       "AMQP_URL": "memory://localhost/", "JWT_SECRET": STRONG}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MAILLAGE_ENV", raising=False)
    assert create_app().test_client().get("/registry/health/live").status_code == 200
