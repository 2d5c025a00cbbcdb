"""A service's worker process: its outbox relay, its consumers and its scheduled jobs, in threads."""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

from shared.bus.consumer import QueueWorker
from shared.bus.relay import OutboxRelay
from shared.logs import log
from shared.service import ServiceRuntime

logger = logging.getLogger("maillage.worker")


def heartbeat_path(settings, service: str) -> Path:
    return Path(settings.var_dir) / f"worker-{service}.heartbeat"


class Worker:
    def __init__(self, runtime: ServiceRuntime):
        self.runtime = runtime
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.relay = OutboxRelay(runtime.db, runtime.name, runtime.settings)
        self.queue_workers: list[QueueWorker] = []

    def start(self) -> "Worker":
        rt = self.runtime
        rt.ensure_indexes()
        self._spawn(f"relay-{rt.name}", self.relay.run, self.stop)
        for subscription in rt.subscriptions():
            for n in range(subscription.concurrency):
                qw = QueueWorker(rt.db, rt.settings, subscription)
                if n == 0:
                    qw.declare()
                self.queue_workers.append(qw)
                self._spawn(f"consumer-{qw.name}-{n}", qw.run_until, self.stop)
        for job in rt.jobs():
            self._spawn(f"job-{rt.name}-{job.name}", self._run_job, job)
        self._spawn(f"heartbeat-{rt.name}", self._heartbeat)
        return self

    def _spawn(self, name, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _run_job(self, job) -> None:
        while not self.stop.wait(job.every_seconds):
            try:
                job.run(self.runtime.db, self.runtime.settings)
            except Exception as exc:  # noqa: BLE001 - a failing job must not kill the worker
                log(logger, logging.ERROR, "scheduled job failed", job=job.name, error=repr(exc))

    def _heartbeat(self) -> None:
        path = heartbeat_path(self.runtime.settings, self.runtime.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            path.write_text(str(time.time()))
            if self.stop.wait(5):
                return

    def shutdown(self, timeout: float = 10) -> None:
        self.stop.set()
        self.relay.wakeup.set()
        for thread in self.threads:
            thread.join(timeout)


def run_forever(runtime: ServiceRuntime) -> None:
    worker = Worker(runtime).start()
    log(logger, logging.INFO, "worker started", service=runtime.name, pid=os.getpid())
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    worker.shutdown()


def worker_is_healthy(settings, service: str, max_age: float = 30) -> bool:
    path = heartbeat_path(settings, service)
    try:
        return time.time() - float(path.read_text()) < max_age
    except (OSError, ValueError):
        return False
