"""SecantusDB as `secantusd-py` runs it, except that an abandoned transaction is aborted after a given
number of seconds instead of 60: its command line cannot set this (MongoDB's own setting is the server
parameter transactionLifetimeLimitSeconds). For tests that wait for that abort.

    python -m shared.testing.store_with_short_transactions PORT STORAGE_DIR LIFETIME_SECONDS
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time

from shared.ports import free_port, port_open


def start_store_with_short_transactions(storage: str, lifetime: float,
                                        timeout: float = 30) -> tuple[subprocess.Popen, str]:
    """Start one on `storage` (a directory) and wait until it listens; the caller kills the process."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", __name__, str(port), storage, str(lifetime)],
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not port_open("127.0.0.1", port, 0.2):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the store with short transactions did not start")
        time.sleep(0.05)
    return proc, f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def main() -> None:
    from secantus.server import SecantusDBServer

    port, storage, lifetime = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    server = SecantusDBServer(host="127.0.0.1", port=port, storage_path=storage, replica_set_name="secantus",
                              enable_test_commands=False, transaction_lifetime_seconds=lifetime)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: (server.stop(), sys.exit(0)))
    server.start()
    server.wait()


if __name__ == "__main__":
    main()
