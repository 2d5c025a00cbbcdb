"""The files ops teams run: docker-compose.yml, the gateway, the Kubernetes manifests."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from shared.service import SERVICE_NAMES

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
