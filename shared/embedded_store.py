"""The embedded SecantusDB (MongoDB wire protocol on WiredTiger) that `make dev`, tests and benches start.

Its own output goes to a log file (a temporary one unless told where); when it fails to start, the error
says why in one line — a data directory still held by another store is named as such — followed by the
last lines of that log.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared.parent_death import signal_when_parent_dies
from shared.ports import free_port, port_open

# What WiredTiger writes when another process holds the data directory.
LOCKED_MARKERS = ("already being managed by another process", "WiredTiger.lock: handle-lock")


class StoreDidNotStart(RuntimeError):
    """The store exited, or did not answer in time. `str()` is the one line for the operator."""

    def __init__(self, reason: str, log_path: Path | None = None, last_lines: list[str] | None = None):
        super().__init__(reason)
        self.log_path = log_path
        self.last_lines = last_lines or []


class DataDirectoryLocked(StoreDidNotStart):
    """Another store (another `make dev`?) still runs on the same data directory."""


def start_secantus(storage: str, port: int | None = None, sync: bool = True, *,
                   log_path: str | Path | None = None, own_process_group: bool = False,
                   timeout: float = 30, program: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start a store on `storage` (a directory, or ':memory:') and wait until it answers.

    `own_process_group`: the store does not receive the terminal's Ctrl-C itself (whoever started it stops
    it, after its own clients), and on Linux it is sent SIGTERM if the starting process dies.
    `program`: what runs the store instead of `secantusd-py`, taking the same options (tests).
    """
    port = port or free_port()
    args = [*(program or [_secantus_bin()]), "--host", "127.0.0.1", "--port", str(port), "--storage-path", storage]
    if sync:
        args.append("--sync-on-commit")
    temporary = log_path is None  # removed once the store answers (the running store keeps writing to it)
    log_path = Path(log_path) if log_path else Path(tempfile.mkstemp(prefix="secantus-", suffix=".log")[1])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        offset = log_file.tell()  # what this start writes begins here (the log is appended to)
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=own_process_group,
                                preexec_fn=signal_when_parent_dies if own_process_group else None)
    try:
        _wait_until_it_answers(proc, storage, port, log_path, offset, timeout)
    except BaseException:  # did not start, or Ctrl-C meanwhile: leave no store behind
        stop_secantus(proc)
        raise
    if temporary:
        log_path.unlink(missing_ok=True)
    return proc, f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def _wait_until_it_answers(proc, storage: str, port: int, log_path: Path, offset: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not port_open("127.0.0.1", port):
        if proc.poll() is not None:
            raise _why_it_stopped(storage, port, log_path, offset, proc.returncode)
        if time.monotonic() > deadline:
            raise StoreDidNotStart(f"SecantusDB did not answer on port {port} within {timeout:.0f} s "
                                   f"(its log: {log_path})", log_path, last_lines(log_path, offset))
        time.sleep(0.1)


def stop_secantus(proc: subprocess.Popen, timeout: float = 10) -> int | None:
    """SIGTERM (WiredTiger closes cleanly), then SIGKILL if it is still there after `timeout`."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def last_lines(path: Path, offset: int = 0, count: int = 8) -> list[str]:
    return [line for line in _written_since(path, offset).splitlines() if line.strip()][-count:]


def _written_since(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as log_file:
            log_file.seek(offset)
            return log_file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def holder_of(storage: str) -> int | None:
    """The pid of another running SecantusDB on `storage` (Linux /proc; None when unknown)."""
    wanted = os.path.realpath(storage)
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "--storage-path" in argv and any("secantus" in a for a in argv[:2]):
            value = argv[argv.index("--storage-path") + 1] if argv.index("--storage-path") + 1 < len(argv) else ""
            cwd = _cwd_of(entry)
            if value and os.path.realpath(os.path.join(cwd, value)) == wanted and int(entry.name) != os.getpid():
                return int(entry.name)
    return None


def _cwd_of(entry: Path) -> str:
    try:
        return os.readlink(entry / "cwd")
    except OSError:
        return "/"


def _why_it_stopped(storage: str, port: int, log_path: Path, offset: int, code: int) -> StoreDidNotStart:
    lines = last_lines(log_path, offset)
    if any(marker in _written_since(log_path, offset) for marker in LOCKED_MARKERS):
        pid = holder_of(storage)
        by = f"SecantusDB pid {pid}" if pid else "another SecantusDB"
        return DataDirectoryLocked(f"the data directory {storage} is locked by {by} still running "
                                   f"(another `make dev`?): stop it, or use another VAR_DIR", log_path, lines)
    return StoreDidNotStart(f"SecantusDB exited with status {code} before answering on port {port} "
                            f"(its log: {log_path})", log_path, lines)


def _secantus_bin() -> str:
    candidate = Path(sys.executable).with_name("secantusd-py")
    return str(candidate) if candidate.exists() else "secantusd-py"
