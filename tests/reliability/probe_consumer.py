"""A consumer of the `probe` queue, run as its own process by the fault tests (so that it can be
killed with -9 in the middle of a handler). `python probe_consumer.py <settings json> <marker>`."""
from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from shared.bus.consumer import QueueWorker, Subscription
from shared.config import Settings
from shared.runtime import ServiceRuntime

PROBE_KEY = "registry.probe.written"


def write_probe(envelope, tx, marker: Path | None = None):
    tx.db.probes.update_one({"_id": envelope["subject"]}, {"$inc": {"runs": 1}}, upsert=True, session=tx.session)
    if marker is not None and envelope["data"].get("slow"):
        marker.write_text("in the handler, transaction open")
        time.sleep(600)


def probe_subscription(marker: Path | None = None) -> Subscription:
    return Subscription("events", "probe", {PROBE_KEY: lambda env, tx: write_probe(env, tx, marker)})


if __name__ == "__main__":
    settings = Settings(**json.loads(sys.argv[1]))
    marker = Path(sys.argv[2])
    runtime = ServiceRuntime("events", settings)
    QueueWorker(runtime.db, settings, probe_subscription(marker)).run_until(threading.Event())
