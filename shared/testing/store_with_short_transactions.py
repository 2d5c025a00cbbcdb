"""SecantusDB as `secantusd-py` runs it, except that an abandoned transaction is aborted after a given
number of seconds instead of 60: its command line cannot set this (MongoDB's own setting is the server
parameter transactionLifetimeLimitSeconds). For tests that wait for that abort.

    python -m shared.testing.store_with_short_transactions --transaction-lifetime S --host H --port P --storage-path DIR
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys

from shared.embedded_store import start_secantus


def start_store_with_short_transactions(storage: str, lifetime: float) -> tuple[subprocess.Popen, str]:
    """`start_secantus` on `storage` (a directory), with this store; the caller kills the process."""
    return start_secantus(storage, sync=False,
                          program=[sys.executable, "-m", __name__, "--transaction-lifetime", str(lifetime)])


def main() -> None:
    from secantus.server import SecantusDBServer

    parser = argparse.ArgumentParser()
    for option in ("--transaction-lifetime", "--host", "--port", "--storage-path"):
        parser.add_argument(option, required=True)
    parser.add_argument("--sync-on-commit", action="store_true")
    args = parser.parse_args()
    server = SecantusDBServer(host=args.host, port=int(args.port), storage_path=args.storage_path,
                              replica_set_name="secantus", enable_test_commands=False,
                              sync_on_commit=args.sync_on_commit,
                              transaction_lifetime_seconds=float(args.transaction_lifetime))
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: (server.stop(), sys.exit(0)))
    server.start()
    server.wait()


if __name__ == "__main__":
    main()
