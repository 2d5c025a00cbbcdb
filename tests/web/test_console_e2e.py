"""The console in a real browser against a real `maillage dev` (embedded store, the real broker, the embedded
identity provider), seeded with `maillage seed`: web/e2e/run.mjs drives headless Chromium through the
visitor's and the coordinator's journeys, checks each page with axe-core and saves screenshots in
var/e2e-screenshots (gitignored)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.ports import free_port
from shared.testing.broker_cleanup import delete_dev_run_queues

pytestmark = pytest.mark.integration  # starts the dev server, a store, and uses the broker

ROOT = Path(__file__).resolve().parents[2]
MAILLAGE = str(Path(sys.executable).with_name("maillage"))
BANNER_END = "Ctrl-C stops everything."
SCREENSHOTS = ROOT / "var" / "e2e-screenshots"


class DevServer:
    """`maillage dev` on a free port with a data directory of its own; its output in a file."""

    def __init__(self, var_dir: Path, amqp_url: str):
        var_dir.mkdir(parents=True)
        self.var_dir = var_dir
        self.port = free_port()
        self.log = var_dir / "dev.log"
        clean = {k: v for k, v in os.environ.items()
                 if k not in {"MONGO_URL", "BUS_QUEUE_PREFIX", "PUBLIC_BASE_URL", "OIDC_ISSUER", "PORT"}}
        self.env = {**clean, "MAILLAGE_ENV": "dev", "PORT": str(self.port), "VAR_DIR": str(var_dir),
                    "AMQP_URL": amqp_url, "LOG_LEVEL": "WARNING",
                    # a tile server that does not answer: the map must fall back (tests run offline)
                    "TILE_URL": f"http://127.0.0.1:9/{{z}}/{{x}}/{{y}}.png", "OIDC_DEV_PORT": str(free_port())}
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([MAILLAGE, "dev"], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                         env=self.env, start_new_session=True)
        self.banner = self._banner()
        self.mongo_url = re.search(r"Mongo (mongodb://\S+)", self.banner).group(1)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _banner(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_text(errors="replace")
            if BANNER_END in text:
                return text
            if self.proc.poll() is not None:
                raise AssertionError(f"maillage dev exited ({self.proc.returncode}):\n{text[-3000:]}")
            time.sleep(0.3)
        raise AssertionError(f"no banner from maillage dev:\n{self.log.read_text(errors='replace')[-3000:]}")

    def seed(self) -> str:
        """The banner's `demo data` command, as printed (its store, and its queue prefix on RabbitMQ)."""
        printed = re.search(r"demo data:\s+(.+) seed$", self.banner, re.MULTILINE).group(1)
        assigned = dict(re.findall(r"(\w+)='([^']*)'", printed))
        assert assigned["MONGO_URL"] == self.mongo_url and assigned["BUS_QUEUE_PREFIX"].startswith("dev-")
        done = subprocess.run([MAILLAGE, "seed"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**self.env, **assigned})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # stops the server, workers, provider and store in order
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        delete_dev_run_queues(self.var_dir, self.env["AMQP_URL"])


@pytest.fixture
def dev_server(tmp_path, amqp_server_url, built_console):
    server = DevServer(tmp_path / "var", amqp_server_url)
    try:
        yield server
    finally:
        server.stop()


def test_visitor_and_coordinator_journeys_in_chromium(dev_server, chromium, web_run):
    print(dev_server.seed())
    done = web_run(["node", "e2e/run.mjs"], timeout=600, env={
        "BASE_URL": dev_server.base_url, "MAILLAGE_CLI": MAILLAGE, "CHROMIUM": chromium,
        "E2E_OUT": str(SCREENSHOTS), "MAILLAGE_ENV": "dev"})
    print(done.stdout)
    assert done.returncode == 0, (f"{done.stdout[-8000:]}\n{done.stderr[-3000:]}\n"
                                  f"maillage dev said:\n{dev_server.log.read_text(errors='replace')[-3000:]}")
    assert " 0 failed" in done.stdout
