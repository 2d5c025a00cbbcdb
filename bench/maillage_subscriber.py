"""The subscriber side of `bench.bus_vs_nameko` for Maillage: the events service's real worker (its
registry projection consumer, relay and jobs), settings from the environment, printing
`applied <structure id> <time>` once the consumer's write that projected it is durable.

    .venv/bin/python -m bench.maillage_subscriber     # started by bench.bus_vs_nameko
"""
from __future__ import annotations

import functools
import os
import sys
import threading
import time

from shared.bus import consumer
from shared.config import load_settings
from shared.runtime import ServiceRuntime
from shared.worker import Worker

from services.events import handlers

_projected = threading.local()


def _observed(handler):
    @functools.wraps(handler)  # keeps its marks (`single_upsert`)
    def handler_then_note(envelope, tx):
        handler(envelope, tx)
        _projected.subjects.append(envelope["subject"])
    return handler_then_note


def _written(handle):
    """The consumer's handling of a drain (or of one event), then `applied` for what it projected: printed
    once its writes are durable (committed, or the single upsert acknowledged), before the ack."""
    def handle_then_print(*args, **kwargs):
        _projected.subjects = []
        result = handle(*args, **kwargs)
        stamp = time.time()
        sys.stdout.write("".join(f"applied {s} {stamp}\n" for s in _projected.subjects))
        sys.stdout.flush()
        return result
    return handle_then_print


def main() -> None:
    handlers.HANDLERS["registry.structure.registered"] = _observed(handlers.HANDLERS["registry.structure.registered"])
    consumer.handle_batch = _written(consumer.handle_batch)
    consumer.handle_envelope = _written(consumer.handle_envelope)
    worker = Worker(ServiceRuntime("events", load_settings())).start()
    deadline = time.monotonic() + 60
    while not all(qw.status.state == "consuming" for qw in worker.queue_workers):
        if time.monotonic() > deadline:
            raise SystemExit("the events worker did not start consuming")
        time.sleep(0.05)
    print("ready", flush=True)
    try:
        while os.getppid() != 1 and sys.stdin.readline():
            pass
    finally:
        worker.shutdown(5)


if __name__ == "__main__":
    main()
