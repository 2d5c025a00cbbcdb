"""`make dev`: every service in one process behind the gateway's paths, with their workers in threads.

MongoDB: `MONGO_URL` if set, else an embedded SecantusDB (data in ./var/db, --sync-on-commit, its own output
in ./var/secantus.log). Broker: RabbitMQ when `AMQP_URL` is set, else kombu's in-memory transport.

Sign-in: an embedded OpenID Connect provider (shared/dev_identity.py, oidc-provider-mock in a thread) on
127.0.0.1:OIDC_DEV_PORT (default PORT + 1, another free port when that one is taken), pre-loaded with the
demo people; the services trust it (OIDC_ISSUER) beside the shared-secret tokens of `maillage token`. Its
URL is written to VAR_DIR/dev-oidc-issuer for `maillage token --as <e-mail>`. Unless OIDC_ISSUER is set:
then the services trust that issuer and nothing is embedded.

Ctrl-C (SIGINT) and SIGTERM stop everything it started, in order: the HTTP server, the workers, the
identity provider, then the store (which runs in its own process group so that the terminal's Ctrl-C does not kill it under the workers'
feet, and which Linux stops anyway if this process is killed outright).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
from pathlib import Path

from werkzeug.serving import make_server

from shared.config import load_settings
from shared.dev_queues import queue_prefix_for
from shared.embedded_store import DataDirectoryLocked, StoreDidNotStart, start_secantus, stop_secantus
from shared.logs import configure_logging
from shared.parent_death import parent_is_make, signal_when_parent_dies
from shared.ports import can_bind, free_port, port_open  # noqa: F401 - re-exported: tests and benches import them here
from shared.runtime import SERVICE_NAMES, ServiceRuntime
from shared.web_console import WEB_DIST, allow_console_origin, console_app
from shared.worker import Worker

STORE_LOG = "secantus.log"
# Ctrl-C, `kill` / docker / systemd, a closed terminal; and SIGTERM when `make` goes (parent_death.py).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class DevCannotStart(RuntimeError):
    """`str()` is one line for the operator (possibly followed by the store's last log lines)."""


class PathRouter:
    """WSGI: `/registry/...` goes to the registry app, and so on; anything else to the web console
    (web/dist with its SPA fallback; `/api` lists the URLs)."""

    def __init__(self, apps: dict, index):
        self.apps = apps
        self.index = index

    def __call__(self, environ, start_response):
        first = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        return self.apps.get(first, self.index)(environ, start_response)


def build(settings):
    apps = {name: ServiceRuntime(name, settings).create_app() for name in SERVICE_NAMES}
    base = f"http://127.0.0.1:{settings.port}"
    urls = {name: {"api": f"{base}/{name}/v1", "openapi": f"{base}/{name}/openapi.json",
                   "docs": f"{base}/{name}/docs", "ready": f"{base}/{name}/health/ready"}
            for name in SERVICE_NAMES}
    urls["console"] = {"web": f"{base}/", "config": f"{base}/console-config.json"}
    return PathRouter(apps, console_app(settings, urls, os.environ))


def follow_port(settings, environ=os.environ):
    """E-mail and .ics links point at this server: unless PUBLIC_BASE_URL is set, it follows PORT."""
    if environ.get("PUBLIC_BASE_URL"):
        return settings
    return settings.replace(public_base_url=f"http://127.0.0.1:{settings.port}")


def cli_command() -> str:
    """How to type the `maillage` command from here: `maillage` when on PATH, else `.venv/bin/maillage`."""
    beside_python = Path(sys.executable).with_name("maillage")
    if shutil.which("maillage") == str(beside_python) or not beside_python.exists():
        return "maillage"
    try:
        return str(beside_python.relative_to(Path.cwd()))
    except ValueError:
        return str(beside_python)


class _Stop(KeyboardInterrupt):
    """Raised in the main thread by SIGINT or SIGTERM: unwinds to the orderly stop
    (werkzeug's serve_forever swallows it, hence `stopped_by`)."""


class DevPlatform:
    """What `maillage dev` starts, so that it can stop all of it."""

    def __init__(self, settings):
        self.settings = settings
        self.server = None
        self.store = None
        self.identity = None
        self.workers: list[Worker] = []
        self.notes: list[str] = []
        self.stopped_by: str | None = None
        self.listener: socket.socket | None = None

    def on_signal(self, signum, _frame):
        self.stopped_by = signal.Signals(signum).name
        raise _Stop(self.stopped_by)

    def start(self) -> None:
        settings = self.settings
        var = Path(settings.var_dir)
        var.mkdir(parents=True, exist_ok=True)
        self.server = make_server("127.0.0.1", settings.port, None, threaded=True,
                                  fd=self._listen(settings.port).fileno())
        if "MONGO_URL" not in os.environ:
            self._start_store(var)
        if "AMQP_URL" not in os.environ:
            self.settings = self.settings.replace(amqp_url="memory://localhost/")
        if "OIDC_ISSUER" not in os.environ:
            self._start_identity(var)
        settings = self.settings
        self.server.app = build(settings)
        self.workers = [Worker(ServiceRuntime(name, settings)).start() for name in SERVICE_NAMES]

    def _listen(self, port: int) -> socket.socket:
        """Bound here rather than by werkzeug, which prints two lines and exits on a taken port."""
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind(("127.0.0.1", port))
        except OSError as exc:
            self.listener.close()
            raise DevCannotStart(f"port {port} is taken ({exc.strerror}): another `make dev`? "
                                 f"Stop it, or set PORT") from None
        self.listener.listen(128)
        return self.listener

    def _start_identity(self, var: Path) -> None:
        from shared.dev_identity import ISSUER_FILE, DevProvider

        wanted = int(os.environ.get("OIDC_DEV_PORT") or self.settings.port + 1)
        port = wanted
        if not can_bind(port):
            if os.environ.get("OIDC_DEV_PORT"):
                raise DevCannotStart(f"OIDC_DEV_PORT {port} is taken: set another one")
            port = free_port()
            self.notes.append(f"port {wanted} was taken: the identity provider listens on {port}")
        self.identity = DevProvider(port=port)
        allow_console_origin(self.identity.app, self.settings.port)
        self.identity.start()
        (var / ISSUER_FILE).write_text(self.identity.issuer + "\n", encoding="utf-8")
        self.settings = self.settings.replace(oidc_issuer=self.identity.issuer)

    def _start_store(self, var: Path) -> None:
        data = var / "db"
        if "BUS_QUEUE_PREFIX" not in os.environ:
            prefix, new = queue_prefix_for(var, data)
            self.settings = self.settings.replace(queue_prefix=prefix)
            if new:
                self.notes.append(f"new data directory {data}: its queues are prefixed {prefix!r} "
                                  f"(messages left in an earlier run's queues stay there)")
        data.mkdir(exist_ok=True)
        log_path = var / STORE_LOG
        try:
            self.store, url = start_secantus(str(data), log_path=log_path, own_process_group=True)
        except DataDirectoryLocked as exc:
            raise DevCannotStart(str(exc)) from None
        except StoreDidNotStart as exc:
            tail = "".join(f"\n    {line}" for line in exc.last_lines)
            raise DevCannotStart(f"{exc}{'; its last lines:' + tail if tail else ''}") from None
        self.settings = self.settings.replace(mongo_url=url)

    def banner(self) -> str:
        s, cli = self.settings, cli_command()
        base = f"http://127.0.0.1:{s.port}"
        store = f" (SecantusDB pid {self.store.pid}, log {Path(s.var_dir) / STORE_LOG})" if self.store else ""
        on_rabbitmq = not s.amqp_url.startswith("memory://")
        prefix = f", queues prefixed {s.queue_prefix!r}" if s.queue_prefix and on_rabbitmq else ""
        lines = [f"Maillage is up on {base}  (Mongo {s.mongo_url}{store}, broker {s.amqp_url}{prefix})"]
        lines += [f"  web console    {base}/   (" + ("web/dist" if (WEB_DIST / "index.html").is_file()
                                                    else "not built: install Node.js and run `make web`") + f"; URLs at {base}/api)"]
        lines += [f"  {name:<14} {base}/{name}/v1   docs {base}/{name}/docs   openapi {base}/{name}/openapi.json"
                  for name in SERVICE_NAMES]
        lines += [f"  token:         {cli} token --federation apmsl --role admin   (shared secret, dev only)"]
        lines += self._sign_in_lines(cli)
        # The seed publishes on commit, which declares the subscriber queues: under this run's prefix, or it
        # would leave unprefixed queues on the broker that nobody reads and every later event fills.
        seed_prefix = f" BUS_QUEUE_PREFIX='{s.queue_prefix}'" if prefix else ""
        lines += [
                  f"  demo data:     MONGO_URL='{s.mongo_url}'{seed_prefix} {cli} seed",
                  *(f"  note:          {note}" for note in self.notes if on_rabbitmq),
                  "  Ctrl-C stops everything."]
        return "\n".join(lines)

    def _sign_in_lines(self, cli: str) -> list[str]:
        if self.identity is None:
            return [f"  sign-in:       the services trust {self.settings.oidc_issuer}"] if self.settings.oidc_issuer else []
        issuer = self.identity.issuer
        lines = [f"  sign-in:       OpenID Connect provider {issuer} (embedded; discovery "
                 f"{issuer}/.well-known/openid-configuration, any client id, PKCE S256, audience "
                 f"{self.identity.audience!r}); its sign-in page lists the demo people, or get a token:"]
        from shared.dev_identity import demo_people

        lines += [f"    {cli} token --as {p.email:<44} # {p.what}" for p in demo_people()]
        return lines

    def serve(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        if self.server is not None:
            self.server.server_close()
        if self.listener is not None:
            self.listener.close()
        deadline = 3.0
        for worker in self.workers:  # daemon threads: what is not done by then dies with the process
            worker.shutdown(deadline / max(1, len(self.workers)))
        if self.identity is not None:
            from shared.dev_identity import ISSUER_FILE

            self.identity.stop()
            (Path(self.settings.var_dir) / ISSUER_FILE).unlink(missing_ok=True)
        if self.store is not None:
            stop_secantus(self.store)


def main() -> None:
    settings = follow_port(load_settings())
    configure_logging(settings.log_level, settings.log_json)
    platform = DevPlatform(settings)
    previous = {sig: signal.signal(sig, platform.on_signal) for sig in STOP_SIGNALS}
    try:
        if parent_is_make():  # make passes no SIGTERM on to its recipe: be told when it goes
            signal_when_parent_dies(signal.SIGTERM)
            if not parent_is_make():  # it went before we asked
                os.kill(os.getpid(), signal.SIGTERM)
        platform.start()
        print(platform.banner(), flush=True)
        platform.serve()
    except _Stop:
        pass
    finally:
        for sig in previous:  # a second Ctrl-C must not cut the stop short
            signal.signal(sig, signal.SIG_IGN)
        try:
            platform.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    if platform.stopped_by:
        print(f"Maillage stopped ({platform.stopped_by}): server, {len(platform.workers)} workers"
              + (", identity provider" if platform.identity else "")
              + (f" and SecantusDB pid {platform.store.pid}" if platform.store else ""), flush=True)
