"""`make dev`: every service in one process behind the gateway's paths, with their workers in threads.

MongoDB: `MONGO_URL` if set, else an embedded SecantusDB (data in ./var/db, --sync-on-commit).
Broker: RabbitMQ when `AMQP_URL` is set, else kombu's in-memory transport (nothing to install).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask, jsonify
from werkzeug.serving import run_simple

from shared.config import load_settings
from shared.logs import configure_logging
from shared.service import SERVICE_NAMES, ServiceRuntime
from shared.worker import Worker


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_secantus(storage: str, port: int | None = None, sync: bool = True) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    args = [_secantus_bin(), "--host", "127.0.0.1", "--port", str(port), "--storage-path", storage]
    if sync:
        args.append("--sync-on-commit")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not port_open("127.0.0.1", port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"SecantusDB did not start on port {port}")
        time.sleep(0.1)
    return proc, f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def _secantus_bin() -> str:
    candidate = Path(sys.executable).with_name("secantusd-py")
    return str(candidate) if candidate.exists() else "secantusd-py"


class PathRouter:
    """WSGI: `/registry/...` goes to the registry app, and so on; `/` lists the URLs."""

    def __init__(self, apps: dict, index):
        self.apps = apps
        self.index = index

    def __call__(self, environ, start_response):
        first = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        return self.apps.get(first, self.index)(environ, start_response)


def build(settings):
    apps = {name: ServiceRuntime(name, settings).create_app() for name in SERVICE_NAMES}
    index = Flask("maillage.index")

    @index.get("/")
    def root():
        base = f"http://127.0.0.1:{settings.port}"
        return jsonify({name: {"api": f"{base}/{name}/v1", "openapi": f"{base}/{name}/openapi.json",
                               "docs": f"{base}/{name}/docs", "ready": f"{base}/{name}/health/ready"}
                        for name in SERVICE_NAMES})

    return PathRouter(apps, index)


def follow_port(settings, environ=os.environ):
    """E-mail and .ics links point at this server: unless PUBLIC_BASE_URL is set, it follows PORT."""
    if environ.get("PUBLIC_BASE_URL"):
        return settings
    return settings.replace(public_base_url=f"http://127.0.0.1:{settings.port}")


def main() -> None:
    settings = follow_port(load_settings())
    configure_logging(settings.log_level, settings.log_json)
    var = Path(settings.var_dir)
    var.mkdir(parents=True, exist_ok=True)
    if "MONGO_URL" not in os.environ:
        (var / "db").mkdir(exist_ok=True)
        _, url = start_secantus(str(var / "db"))
        settings = settings.replace(mongo_url=url)
    if "AMQP_URL" not in os.environ:
        settings = settings.replace(amqp_url="memory://localhost/")
    app = build(settings)
    workers = [Worker(ServiceRuntime(name, settings)).start() for name in SERVICE_NAMES]
    base = f"http://127.0.0.1:{settings.port}"
    print(f"Maillage is up on {base}  (Mongo {settings.mongo_url}, broker {settings.amqp_url})", flush=True)
    for name in SERVICE_NAMES:
        print(f"  {name:<14} {base}/{name}/v1   docs {base}/{name}/docs   openapi {base}/{name}/openapi.json",
              flush=True)
    print("  token:        maillage token --federation apmsl --role admin", flush=True)
    try:
        run_simple("127.0.0.1", settings.port, app, threaded=True, use_reloader=False)
    finally:
        for worker in workers:
            worker.shutdown(2)
