"""Under gunicorn (deploy/gunicorn.conf.py) every request leaves an access line carrying its request id:
JSON under LOG_JSON, the combined format with `request_id=` otherwise. The real registry api is served."""
from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shared.access_log import AccessJsonFormatter
from shared.ports import free_port, port_open

pytestmark = pytest.mark.integration  # starts real processes: a store, the dev server, gunicorn

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def serve_registry(settings, tmp_path, *, log_json: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "MAILLAGE_ENV": "test", "JWT_SECRET": settings.jwt_secret,
           "MONGO_URL": settings.mongo_url, "MONGO_DB_PREFIX": settings.mongo_db_prefix,
           "AMQP_URL": settings.amqp_url, "BUS_EXCHANGE": settings.exchange, "BUS_QUEUE_PREFIX": settings.queue_prefix,
           "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "LOG_LEVEL": "INFO",
           "LOG_JSON": "true" if log_json else "false", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
           "VAR_DIR": str(tmp_path / "var")}
    proc = subprocess.Popen([GUNICORN, "-c", "deploy/gunicorn.conf.py", "services.registry.app:create_app()"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not port_open("127.0.0.1", port):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1][-2000:]
        time.sleep(0.2)
    return proc, port


def call(port: int, path: str, request_id: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"X-Request-ID": request_id})
    deadline = time.monotonic() + 30
    while True:  # the worker may still be booting behind the master's socket
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=30)


@pytest.mark.integration
def test_each_request_has_a_json_access_line_with_its_request_id(settings, tmp_path):
    proc, port = serve_registry(settings, tmp_path, log_json=True)
    try:
        assert call(port, "/registry/health/live", "req-live-1") == 200
        assert call(port, "/registry/v1/no-such-thing", "req-missing-2") == 404
    finally:
        out, err = stop(proc)

    access = [json.loads(line) for line in out.splitlines()]  # every line JSON, none twice in text
    assert {line["logger"] for line in access} == {"gunicorn.access"} and len(access) == 2
    by_id = {line["request_id"]: line for line in access}
    live, missing = by_id["req-live-1"], by_id["req-missing-2"]
    assert live["method"] == "GET" and live["path"] == "/registry/health/live" and live["status"] == 200
    assert live["correlation_id"] == "req-live-1"
    assert live["duration_ms"] >= 0 and live["message"] == "GET /registry/health/live 200"
    assert missing["status"] == 404
    for line in err.splitlines():  # gunicorn's own messages stay JSON too
        json.loads(line)


@pytest.mark.integration
def test_without_json_the_access_line_still_names_the_request_id(settings, tmp_path):
    proc, port = serve_registry(settings, tmp_path, log_json=False)
    try:
        assert call(port, "/registry/health/live", "req-text-3") == 200
    finally:
        out, _ = stop(proc)

    [line] = [line for line in out.splitlines() if "request_id=req-text-3" in line]
    assert '"GET /registry/health/live HTTP/1.1" 200' in line


def test_a_request_the_app_gave_no_id_still_makes_a_valid_line():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", None, None)
    record.args = {"h": "10.0.0.7", "m": "GET", "U": "/", "s": "502", "D": 1500, "B": None}

    line = json.loads(AccessJsonFormatter().format(record))

    assert line["status"] == 502 and line["duration_ms"] == 1.5 and line["request_id"] is None
    assert line["remote_addr"] == "10.0.0.7"
