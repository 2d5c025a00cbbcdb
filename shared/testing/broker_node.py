"""A RabbitMQ node of the test's own, on free ports, that the test may stop, start and kill -9.

Never the shared broker on 5672: fault tests and benchmarks take the node down on purpose. The node
runs as the `rabbitmq` user with every path (mnesia, logs, pid file, plugins, cookie) under a temp
directory, its own node name, AMQP port and distribution port. Data survives `stop`/`kill` +
`start` (same mnesia directory), like a broker restarted by an operator.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from shared.devserver import free_port, port_open

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


class BrokerNodeUnavailable(RuntimeError):
    pass


def broker_node_available() -> bool:
    return Path(RABBITMQ_SERVER).exists() and shutil.which("runuser") is not None and _rabbitmq_user() is not None


def _rabbitmq_user():
    import pwd

    try:
        return pwd.getpwnam("rabbitmq")
    except KeyError:
        return None


class BrokerNode:
    def __init__(self, base: str | None = None):
        if not broker_node_available():
            raise BrokerNodeUnavailable("no local RabbitMQ installation to start a node of the test's own")
        self.base = Path(base or tempfile.mkdtemp(prefix="maillage-rabbit-"))
        self.port = free_port()
        self.dist_port = free_port()
        self.name = f"maillage-{uuid.uuid4().hex[:8]}@localhost"
        self.proc: subprocess.Popen | None = None
        for sub in ("mnesia", "log", "home"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        (self.base / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
            # Heartbeats as in production; a small value only makes dead peers be noticed sooner.
            "heartbeat = 10\n")
        (self.base / "enabled_plugins").write_text("[].\n")
        user = _rabbitmq_user()
        for path in [self.base, *self.base.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _env(self) -> dict:
        b = self.base
        return {"HOME": str(b / "home"), "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin"),
                "RABBITMQ_NODENAME": self.name, "RABBITMQ_CONFIG_FILE": str(b / "rabbitmq.conf"),
                "RABBITMQ_MNESIA_BASE": str(b / "mnesia"), "RABBITMQ_LOG_BASE": str(b / "log"),
                "RABBITMQ_PID_FILE": str(b / "pid"), "RABBITMQ_ENABLED_PLUGINS_FILE": str(b / "enabled_plugins"),
                "RABBITMQ_DIST_PORT": str(self.dist_port), "ERL_EPMD_ADDRESS": "127.0.0.1"}

    def start(self, timeout: float = 60) -> "BrokerNode":
        if self.proc is not None and self.proc.poll() is None:
            return self
        (self.base / "pid").unlink(missing_ok=True)
        env_args = [f"{k}={v}" for k, v in self._env().items()]
        self.proc = subprocess.Popen(["runuser", "-u", "rabbitmq", "--", "env", "-i", *env_args, RABBITMQ_SERVER],
                                     stdout=open(self.base / "stdout.log", "ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while not port_open("127.0.0.1", self.port, 0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BrokerNodeUnavailable(f"RabbitMQ node {self.name} did not start; see {self.base}/stdout.log")
            time.sleep(0.1)
        return self

    def beam_pid(self) -> int | None:
        try:
            return int((self.base / "pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def _signal(self, sig: int, timeout: float) -> None:
        pid = self.beam_pid()
        if pid:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        deadline = time.monotonic() + timeout
        while port_open("127.0.0.1", self.port, 0.2) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.proc = None

    def stop(self, timeout: float = 30) -> None:
        """A clean stop (SIGTERM), as `systemctl stop rabbitmq-server` does."""
        self._signal(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """kill -9 of the broker's Erlang VM."""
        self._signal(signal.SIGKILL, 10)

    def close(self) -> None:
        if self.proc is not None:
            self.kill()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "BrokerNode":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
