"""The files ops teams run: docker-compose.yml, the gateway, the Kubernetes manifests."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from shared.runtime import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_an_api_and_a_worker_per_service_after_their_dependencies_are_healthy():
    services = compose()["services"]
    for name in SERVICE_NAMES:
        api, worker = services[f"{name}-api"], services[f"{name}-worker"]
        assert f"services.{name}.app:create_app()" in " ".join(api["command"] if isinstance(api["command"], list)
                                                               else [api["command"]])
        assert "healthcheck" in api and "healthcheck" in worker
        for svc in (api, worker):
            assert svc["depends_on"]["mongo"]["condition"] == "service_healthy"
            assert svc["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert "--replSet" in " ".join(services["mongo"]["command"])
    assert {"rabbitmq", "mongo", "gateway", "mailpit"} <= set(services)


def test_the_gateway_routes_every_service_keeping_its_prefix():
    conf = (ROOT / "deploy/nginx/gateway.conf").read_text()
    for name in SERVICE_NAMES:
        assert f"location /{name}/" in conf


def test_every_kubernetes_manifest_parses():
    for path in (ROOT / "deploy/k8s").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                assert "kind" in doc, path


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose (v1) is not installed")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_compose_declares_the_bus_topology_before_any_worker_starts():
    services = compose()["services"]
    assert services["bus-declare"]["command"] == ["maillage", "declare"]
    for name in SERVICE_NAMES:
        deps = services[f"{name}-worker"]["depends_on"]
        assert deps["bus-declare"]["condition"] == "service_completed_successfully"


def test_kubernetes_workers_declare_the_bus_first_and_are_probed_over_http():
    for name in SERVICE_NAMES:
        docs = [d for d in yaml.safe_load_all((ROOT / f"deploy/k8s/{name}.yaml").read_text()) if d]
        worker = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == f"{name}-worker")
        pod = worker["spec"]["template"]["spec"]
        assert pod["initContainers"][0]["command"] == ["maillage", "declare"]
        container = pod["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"


# --- sign-in: Keycloak ------------------------------------------------------------------------------------

def realm():
    import json

    return json.loads((ROOT / "deploy/keycloak/maillage-realm.json").read_text(encoding="utf-8"))


def test_compose_runs_keycloak_importing_the_realm_behind_the_gateway_with_a_healthcheck():
    services = compose()["services"]
    keycloak = services["keycloak"]
    assert "--import-realm" in keycloak["command"]
    assert any(v.startswith("./deploy/keycloak/maillage-realm.json:/opt/keycloak/data/import/")
               for v in keycloak["volumes"])
    assert keycloak["environment"]["KC_HTTP_RELATIVE_PATH"] == "/auth"
    assert "/auth/health/ready" in " ".join(keycloak["healthcheck"]["test"])
    assert services["gateway"]["depends_on"]["keycloak"]["condition"] == "service_healthy"
    assert "location /auth/" in (ROOT / "deploy/nginx/gateway.conf").read_text()


def test_the_apis_of_compose_and_kubernetes_trust_the_configured_issuer():
    env = compose()["x-maillage-env"]
    assert env["OIDC_ISSUER"].endswith("localhost:8080/auth/realms/maillage}")
    assert env["OIDC_DISCOVERY_URL"] == "http://keycloak:8080/auth/realms/maillage"
    assert (env["OIDC_AUDIENCE"], env["OIDC_ROLES_CLAIM"]) == ("maillage", "realm_access.roles")
    config = yaml.safe_load((ROOT / "deploy/k8s/configmap.yaml").read_text())["data"]
    assert config["OIDC_ISSUER"].startswith("https://") and config["OIDC_AUDIENCE"] == "maillage"


def test_the_realm_has_the_roles_the_claim_mappers_and_the_two_clients():
    from shared.http.auth import ALL_ROLES

    r = realm()
    assert r["realm"] == "maillage" and r["enabled"]
    assert {role["name"] for role in r["roles"]["realm"]} == ALL_ROLES
    scope = next(s for s in r["clientScopes"] if s["name"] == "maillage")
    mappers = {m["protocolMapper"]: m for m in scope["protocolMappers"]}
    assert mappers["oidc-audience-mapper"]["config"]["included.custom.audience"] == "maillage"
    attributes = {m["config"]["user.attribute"]: m["config"]["claim.name"] for m in scope["protocolMappers"]
                  if m["protocolMapper"] == "oidc-usermodel-attribute-mapper"}
    assert attributes == {"federation": "federation", "person_id": "person_id"}
    clients = {c["clientId"]: c for c in r["clients"]}
    web, tooling = clients["maillage-web"], clients["maillage-tooling"]
    assert web["publicClient"] and web["standardFlowEnabled"] and not web["implicitFlowEnabled"]
    assert web["attributes"]["pkce.code.challenge.method"] == "S256"
    assert "http://localhost:8080/*" in web["redirectUris"] and "maillage" in web["defaultClientScopes"]
    assert not tooling["publicClient"] and tooling["serviceAccountsEnabled"] and "secret" not in tooling
    assert r["accessTokenLifespan"] <= 24 * 3600
