"""Outside dev, an OpenID Connect issuer is trusted only over https (or on this very machine, as compose's
gateway on localhost), with an audience to check; the secret rules stay in force beside it."""
import pytest

from shared.config import load_settings
from shared.startup_checks import UnsafeStart, refuse_unsafe_start, unsafe_settings

STRONG = "s" * 48


@pytest.fixture
def production(monkeypatch):
    for name in ("MAILLAGE_ENV", "LINK_SECRET", "OIDC_AUDIENCE", "OIDC_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JWT_SECRET", STRONG)
    return monkeypatch


@pytest.mark.parametrize("issuer", ["https://maillage.example.org/auth/realms/maillage",
                                    "http://localhost:8080/auth/realms/maillage"])
def test_an_https_or_local_issuer_is_accepted(production, issuer):
    production.setenv("OIDC_ISSUER", issuer)

    assert unsafe_settings(load_settings()) == []


def test_a_plain_http_issuer_is_refused(production):
    production.setenv("OIDC_ISSUER", "http://idp.example.org/realms/maillage")

    with pytest.raises(UnsafeStart, match="OIDC_ISSUER .* is not an https:// URL"):
        refuse_unsafe_start(load_settings(), "the registry api")


def test_an_issuer_without_audience_is_refused(production):
    production.setenv("OIDC_ISSUER", "https://idp.example.org/realms/maillage")
    production.setenv("OIDC_AUDIENCE", "")

    assert unsafe_settings(load_settings()) == ["OIDC_AUDIENCE is empty (the tokens' audience must be checked)"]


def test_the_secret_rule_stays_in_force_beside_an_issuer(production):
    production.setenv("OIDC_ISSUER", "https://idp.example.org/realms/maillage")
    production.setenv("JWT_SECRET", "short")

    assert unsafe_settings(load_settings()) == ["JWT_SECRET is shorter than 32 bytes"]


def test_dev_accepts_the_embedded_providers_http_issuer(production):
    production.setenv("MAILLAGE_ENV", "dev")
    production.setenv("OIDC_ISSUER", "http://127.0.0.1:8001")

    assert unsafe_settings(load_settings()) == []
