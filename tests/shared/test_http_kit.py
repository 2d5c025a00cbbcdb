"""The HTTP kit seen from a web client: health, metrics, CORS, request ids, logs, the CLI's token."""
import json
import logging

from click.testing import CliRunner

from shared.cli import main as cli
from shared.http.auth import decode_token
from shared.logs import JsonFormatter, correlation_id_var
from shared.runtime import ServiceRuntime


def test_ready_checks_mongo_and_the_broker_and_says_which_is_down(api, settings):
    assert api("registry").anonymous().get("/registry/health/ready").json["checks"] == {"mongo": "ok", "broker": "ok"}
    broken = ServiceRuntime("registry", settings.replace(amqp_url="amqp://guest:guest@127.0.0.1:1//")).create_app()
    r = broken.test_client().get("/registry/health/ready")
    assert r.status_code == 503 and r.json["checks"]["broker"].startswith("down")
    assert broken.test_client().get("/registry/health/live").status_code == 200


def test_metrics_expose_request_latency_and_outbox_backlog(api):
    client = api("registry").as_user()
    client.post("/registry/v1/structures", json={"kind": "ESP", "name": "ESP du Lac", "city": "Annecy",
                                                  "department": "74"})
    text = client.get("/registry/metrics").get_data(as_text=True)
    assert 'maillage_outbox_pending{service="registry"} 1.0' in text
    assert "maillage_http_request_seconds_bucket" in text


def test_cors_allows_the_configured_web_clients_only(runtime, settings):
    app = ServiceRuntime("registry", settings.replace(cors_origins=("https://app.femasaura.example",))).create_app()
    client = app.test_client()
    allowed = client.options("/registry/v1/structures", headers={
        "Origin": "https://app.femasaura.example", "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "Authorization, If-Match"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.femasaura.example"
    other = client.get("/registry/health/live", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_every_response_carries_a_request_id(api):
    r = api("registry").anonymous().get("/registry/health/live")
    assert len(r.headers["X-Request-ID"]) >= 32
    assert api("registry").anonymous().get("/registry/health/live",
                                           headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"


def test_log_lines_are_json_with_the_correlation_id():
    token = correlation_id_var.set("req-7")
    try:
        record = logging.LogRecord("maillage.test", logging.INFO, __file__, 1, "structure %s", ("s1",), None)
        record.fields = {"service": "registry"}
        line = json.loads(JsonFormatter().format(record))
    finally:
        correlation_id_var.reset(token)
    assert line["message"] == "structure s1" and line["correlation_id"] == "req-7"
    assert line["service"] == "registry" and line["level"] == "INFO"


def test_the_token_command_prints_only_a_token_the_services_accept(monkeypatch, settings):
    monkeypatch.setenv("JWT_SECRET", settings.jwt_secret)
    result = CliRunner().invoke(cli, ["token", "--federation", "femage", "--role", "staff", "--role", "trainer"])
    assert result.exit_code == 0
    principal = decode_token(settings, result.output.strip())
    assert principal.federation == "femage" and principal.roles == {"staff", "trainer"}
    refused = CliRunner().invoke(cli, ["token", "--role", "admin"])
    assert refused.exit_code != 0


def test_outbox_status_counts_pending_events(api, settings, monkeypatch):
    api("registry").as_user().post("/registry/v1/structures", json={"kind": "CDS", "name": "CDS Nord",
                                                                    "city": "Lille", "department": "59"})
    monkeypatch.setenv("MONGO_URL", settings.mongo_url)
    monkeypatch.setenv("MONGO_DB_PREFIX", settings.mongo_db_prefix)
    lines = [json.loads(line) for line in CliRunner().invoke(cli, ["outbox", "status"]).output.splitlines()]
    registry = next(line for line in lines if line["service"] == "registry")
    assert registry["pending"] == 1 and registry["oldest_pending"]
