"""`make dev` stops: Ctrl-C and SIGTERM leave no process behind, and the next `make dev` starts at once.

Each test runs the real `maillage dev` (embedded SecantusDB on a data directory of its own) as a subprocess.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from kombu import Producer

from shared.bus.connection import connect, events_exchange
from shared.config import Settings
from shared.dev_queues import PREFIX_FILE, queue_prefix_for
from shared.ports import free_port, port_open
from shared.runtime import platform_topologies
from shared.testing.broker_cleanup import delete_dev_run_queues, delete_exchanges, delete_platform_queues

pytestmark = pytest.mark.integration  # starts real processes: a store, the dev server, gunicorn

ROOT = Path(__file__).resolve().parents[2]
MAILLAGE = str(Path(sys.executable).with_name("maillage"))
# The Makefile's own `dev` recipe, its install step taken as done (-o).
MAKE_DEV = ("make", "--no-print-directory", "-o", ".venv/.installed-stamp", "dev")
BANNER_END = "Ctrl-C stops everything."


class DevProcess:
    """`maillage dev` in a session of its own, as a terminal would run it."""

    def __init__(self, var_dir: Path, port: int, command=(MAILLAGE, "dev"), **env):
        self.var_dir, self.amqp_url = var_dir, env.get("AMQP_URL")
        clean = {k: v for k, v in os.environ.items()
                 if k not in {"MONGO_URL", "AMQP_URL", "BUS_QUEUE_PREFIX", "PUBLIC_BASE_URL"}}
        self.port = port
        self.proc = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, cwd=ROOT,
            env={**clean, "MAILLAGE_ENV": "dev", "PORT": str(port), "VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING",
                 **env})
        self.banner = self._read_banner()
        self.store_pid = int(re.search(r"SecantusDB pid (\d+)", self.banner).group(1))
        self.store_port = int(re.search(r"mongodb://127\.0\.0\.1:(\d+)/", self.banner).group(1))

    def _read_banner(self, timeout: float = 90) -> str:
        lines, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"maillage dev exited ({self.proc.wait()}): {self.proc.stderr.read()}")
            lines.append(line)
            if BANNER_END in line:
                return "".join(lines)
        raise AssertionError("no banner from maillage dev")

    def get(self, path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as answer:
            return answer.status

    def press_ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)  # the terminal signals its whole foreground group

    def terminate(self) -> None:
        self.proc.send_signal(signal.SIGTERM)  # what docker, systemd or `kill` send: this process only

    def wait_stopped(self, timeout: float = 30) -> str:
        out, _ = self.proc.communicate(timeout=timeout)
        return out

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        # The store is in a process group of its own: a test's teardown must not leave it running.
        if alive(self.store_pid):
            os.kill(self.store_pid, signal.SIGKILL)


def processes_in_session(sid: int) -> list[int]:
    """Live (not zombie) processes whose session is `sid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def assert_nothing_left(dev: DevProcess) -> None:
    assert not alive(dev.store_pid), "the embedded SecantusDB outlived maillage dev"
    assert processes_in_session(dev.proc.pid) == []
    assert processes_in_session(dev.store_pid) == []
    assert not port_open("127.0.0.1", dev.port)
    assert not port_open("127.0.0.1", dev.store_port)


@pytest.fixture
def started():
    running: list[DevProcess] = []

    def start(var_dir: Path, port: int, command=(MAILLAGE, "dev"), **env) -> DevProcess:
        running.append(DevProcess(var_dir, port, command, **env))
        return running[-1]

    yield start
    for dev in running:
        dev.kill()
        delete_dev_run_queues(dev.var_dir, dev.amqp_url)


def test_ctrl_c_stops_the_server_its_workers_and_the_store(tmp_path, started):
    dev = started(tmp_path / "var", free_port())
    assert dev.get("/registry/health/ready") == 200
    cli = re.search(r"token:\s+(\S+) token", dev.banner).group(1)
    assert shutil.which(cli) or Path(cli).is_file(), f"the banner's {cli} cannot be typed from here"

    dev.press_ctrl_c()

    assert "Maillage stopped (SIGINT)" in dev.wait_stopped()
    assert dev.proc.returncode == 0
    assert_nothing_left(dev)


def test_sigterm_stops_everything_and_the_next_make_dev_starts_at_once(tmp_path, started):
    port = free_port()
    first = started(tmp_path / "var", port)
    first.terminate()
    assert "Maillage stopped (SIGTERM)" in first.wait_stopped()
    assert_nothing_left(first)

    again = started(tmp_path / "var", port)  # same data directory, same port, no waiting

    assert again.get("/registry/health/ready") == 200
    again.terminate()
    again.wait_stopped()
    assert_nothing_left(again)


@pytest.mark.skipif(not shutil.which("make"), reason="no make on this machine")
def test_sigterm_to_make_itself_stops_maillage_dev_and_its_store(tmp_path, started):
    dev = started(tmp_path / "var", free_port(), MAKE_DEV)  # make does not pass a SIGTERM on to its recipe

    dev.terminate()
    dev.wait_stopped()

    deadline = time.monotonic() + 30
    while processes_in_session(dev.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert_nothing_left(dev)


def test_a_second_make_dev_on_the_same_data_directory_is_told_it_is_locked(tmp_path, started):
    first = started(tmp_path / "var", free_port())
    env = {k: v for k, v in os.environ.items() if k not in {"MONGO_URL", "AMQP_URL"}}
    second = subprocess.run([MAILLAGE, "dev"], capture_output=True, text=True, timeout=60,
                            env={**env, "MAILLAGE_ENV": "dev", "PORT": str(free_port()),
                                 "VAR_DIR": str(tmp_path / "var")})

    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == [
        f"Error: the data directory {tmp_path / 'var' / 'db'} is locked by SecantusDB pid {first.store_pid} "
        f"still running (another `make dev`?): stop it, or use another VAR_DIR"]
    assert first.get("/registry/health/live") == 200  # the first one is untouched


def test_a_taken_port_is_one_line(tmp_path, started):
    first = started(tmp_path / "one", free_port())
    env = {k: v for k, v in os.environ.items() if k not in {"MONGO_URL", "AMQP_URL"}}
    second = subprocess.run([MAILLAGE, "dev"], capture_output=True, text=True, timeout=60,
                            env={**env, "MAILLAGE_ENV": "dev", "PORT": str(first.port),
                                 "VAR_DIR": str(tmp_path / "two")})

    assert second.returncode == 1
    assert len(second.stderr.strip().splitlines()) == 1
    assert f"port {first.port} is taken" in second.stderr


# --- a new data directory, queues of its own -----------------------------------------------------------

def test_a_data_directory_keeps_its_queue_prefix_and_a_new_one_draws_another(tmp_path):
    var = tmp_path / "var"
    first, new = queue_prefix_for(var, var / "db")
    assert new and re.fullmatch(r"dev-[0-9a-f]{8}\.", first)
    (var / "db").mkdir()
    (var / "db" / "WiredTiger").write_text("data")
    assert queue_prefix_for(var, var / "db") == (first, False)

    shutil.rmtree(var / "db")
    second, new = queue_prefix_for(var, var / "db")
    assert new and second != first


def test_a_data_directory_made_before_prefixes_keeps_its_unprefixed_queues(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "WiredTiger").write_text("data")
    assert queue_prefix_for(tmp_path, tmp_path / "db") == ("", False)


@pytest.mark.integration
def test_a_wiped_var_does_not_receive_what_an_earlier_run_left_in_its_queues(tmp_path, started, amqp_server_url):
    var, port = tmp_path / "var", free_port()
    settings = Settings(amqp_url=amqp_server_url, exchange=f"test.{uuid.uuid4().hex[:10]}.events")
    env = {"AMQP_URL": amqp_server_url, "BUS_EXCHANGE": settings.exchange}
    prefixes = []
    try:
        first = started(var, port, **env)
        prefixes.append((var / PREFIX_FILE).read_text().strip())
        assert f"queues prefixed {prefixes[0]!r}" in first.banner
        first.terminate()
        first.wait_stopped()
        earlier = platform_topologies(settings.replace(queue_prefix=prefixes[0]))[0].queue
        publish_while_nobody_listens(settings, routing_key=next(iter(earlier.bindings)).routing_key)
        assert messages_in(settings, earlier.name) == 1

        shutil.rmtree(var)
        second = started(var, port, **env)
        prefixes.append((var / PREFIX_FILE).read_text().strip())

        assert prefixes[1] != prefixes[0]
        assert "its queues are prefixed" in second.banner
        own = platform_topologies(settings.replace(queue_prefix=prefixes[1]))[0].queue
        wait_until_declared(settings, own.name)
        assert second.get("/registry/health/ready") == 200
        assert messages_in(settings, earlier.name) == 1  # still parked there, not fed into the new store
    finally:
        for prefix in prefixes:
            delete_platform_queues(settings.replace(queue_prefix=prefix))
        with connect(settings, confirms=False) as conn:
            delete_exchanges(conn, settings)


def publish_while_nobody_listens(settings, routing_key: str) -> None:
    with connect(settings, confirms=True) as conn:
        Producer(conn.channel(), exchange=events_exchange(settings)).publish(
            {"specversion": "1.0", "id": str(uuid.uuid4()), "type": f"{routing_key}.v1", "source": "/test",
             "data": {}}, routing_key=routing_key, delivery_mode=2)


def messages_in(settings, queue: str) -> int:
    with connect(settings, confirms=False) as conn:
        return conn.channel().queue_declare(queue=queue, passive=True).message_count


def wait_until_declared(settings, queue: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            messages_in(settings, queue)
            return
        except Exception:  # noqa: BLE001 - not declared yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
