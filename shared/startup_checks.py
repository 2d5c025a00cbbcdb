"""What an api or a worker checks before it starts: outside dev, no missing, published or short secret.

A token signed with a secret published in this repository (the built-in dev value, compose's old
fallback, the examples) would be accepted as any federation's admin, and the same secret signs the
links sent in e-mails. So outside `MAILLAGE_ENV=dev`/`test` such a start is refused with one line.
"""
from __future__ import annotations

from shared.config import Settings

MIN_SECRET_BYTES = 32

# Values that are, or were, in the repository: whoever reads it can sign with them.
PUBLISHED_SECRETS = frozenset({
    Settings().jwt_secret,                       # shared/config.py, the dev default
    "dev-secret-change-me-it-is-only-for-make-dev",
    "change-me-in-production",                   # docker-compose.yml's former fallback
    "replace-with-a-long-random-value",          # deploy/k8s/secret.example.yaml's former value
    "test-secret-" + "x" * 32,                   # shared/testing/fixtures.py
    "unit-test-secret-" + "x" * 32,              # tests/unit
    "changeme", "change-me", "secret", "maillage",
})

# (environment variable, Settings attribute, may it be empty?) of every secret an api or worker uses.
SECRETS = (
    ("JWT_SECRET", "jwt_secret", False),
    ("LINK_SECRET", "link_secret", True),        # empty: the links are signed with JWT_SECRET
)


class UnsafeStart(SystemExit):
    """Raised instead of starting; uncaught it prints its one line on stderr and exits with status 1."""


def secret_problem(name: str, value: str | None) -> str | None:
    """Why `value` cannot be used as the secret `name` outside dev, or None when it can."""
    if not value:
        return f"{name} is not set"
    if value in PUBLISHED_SECRETS or value == Settings().jwt_secret:
        return f"{name} is a value published in the Maillage repository"
    if len(value.encode("utf-8")) < MIN_SECRET_BYTES:
        return f"{name} is shorter than {MIN_SECRET_BYTES} bytes"
    return None


def unsafe_settings(settings: Settings) -> list[str]:
    """Every reason these settings must not serve outside dev (empty in dev and test)."""
    if settings.is_dev:
        return []
    problems = []
    for name, attribute, may_be_empty in SECRETS:
        value = getattr(settings, attribute)
        if name == "JWT_SECRET" and value == Settings().jwt_secret:
            problems.append("JWT_SECRET is not set (the built-in development value is refused)")
            continue
        if may_be_empty and not value:
            continue
        problem = secret_problem(name, value)
        if problem:
            problems.append(problem)
    return problems + issuer_problems(settings)


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def issuer_problems(settings: Settings) -> list[str]:
    """An OpenID Connect issuer outside dev: https (but on this very machine), and an audience to check."""
    if not settings.oidc_issuer:
        return []
    from urllib.parse import urlparse

    url = urlparse(settings.oidc_issuer)
    problems = []
    if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOCAL_HOSTS):
        problems.append(f"OIDC_ISSUER {settings.oidc_issuer!r} is not an https:// URL")
    if not settings.oidc_audience:
        problems.append("OIDC_AUDIENCE is empty (the tokens' audience must be checked)")
    return problems


def refuse_unsafe_start(settings: Settings, what: str) -> None:
    """Raise `UnsafeStart` (one readable line, exit status 1) when `what` must not start.

    Only settings read from the process environment are checked: settings built in code (tests,
    benchmarks) are their author's choice.
    """
    if not settings.from_environment:
        return
    problems = unsafe_settings(settings)
    if problems:
        raise UnsafeStart(
            f"maillage: {what} refuses to start with MAILLAGE_ENV={settings.env}: {'; '.join(problems)}. "
            f"Set a random secret of at least {MIN_SECRET_BYTES} bytes (e.g. `openssl rand -base64 48`), "
            f"or MAILLAGE_ENV=dev on a development machine.")
