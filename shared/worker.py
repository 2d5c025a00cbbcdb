"""A service's worker process: its outbox relay, its consumers and its scheduled jobs, in threads.

It starts whether or not the broker answers (consumers and relay connect, and reconnect, by
themselves) and reports each part's state: in its heartbeat file (`maillage worker-health`) and,
when `WORKER_HTTP_PORT` is set, on `/health/live`, `/health/ready` and `/metrics`.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from pathlib import Path

from shared.bus.connection import connect
from shared.bus.consumer import QueueWorker
from shared.bus.topology import declare_all
from shared.bus.relay import OutboxRelay
from shared.logs import log
from shared.runtime import ServiceRuntime, platform_topologies

logger = logging.getLogger("maillage.worker")
HEARTBEAT_SECONDS = 5
HEARTBEAT_MAX_AGE = 30


def heartbeat_path(settings, service: str) -> Path:
    return Path(settings.var_dir) / f"worker-{service}.heartbeat"


class Worker:
    def __init__(self, runtime: ServiceRuntime):
        self.runtime = runtime
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.relay = OutboxRelay(runtime.db, runtime.name, runtime.settings, platform_topologies(runtime.settings))
        self.queue_workers: list[QueueWorker] = []

    def start(self) -> "Worker":
        rt = self.runtime
        rt.ensure_indexes()
        for subscription in rt.subscriptions():
            for n in range(subscription.concurrency):
                self.queue_workers.append(QueueWorker(rt.db, rt.settings, subscription, index=n))
        self._declare_own_queues()
        self._spawn(f"relay-{rt.name}", self.relay.run, self.stop)
        for qw in self.queue_workers:
            self._spawn(f"consumer-{qw.name}-{qw.status.index}", qw.run_until, self.stop)
        for job in rt.jobs():
            self._spawn(f"job-{rt.name}-{job.name}", self._run_job, job)
        self._spawn(f"heartbeat-{rt.name}", self._heartbeat)
        return self

    def _declare_own_queues(self) -> None:
        """When the broker answers, our queues exist as soon as `start` returns; when it does not, the
        consumers declare them as they connect."""
        try:
            with connect(self.runtime.settings, confirms=False) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
                declare_all(conn, {qw.name: qw.topology for qw in self.queue_workers}.values())
        except Exception as exc:  # noqa: BLE001 - broker not there yet: not a reason to stay down
            log(logger, logging.WARNING, "broker unavailable at start; consumers will connect when it is",
                service=self.runtime.name, error=repr(exc))

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

    # --- what it says about itself --------------------------------------------------------------
    def status(self) -> dict:
        consumers = [qw.status.as_dict() for qw in self.queue_workers]
        alive = {t.name: t.is_alive() for t in self.threads}
        for c, qw in zip(consumers, self.queue_workers):
            c["thread_alive"] = alive.get(f"consumer-{qw.name}-{qw.status.index}", False)
        live = self.stop.is_set() or all(c["thread_alive"] and not c["stuck"] for c in consumers)
        ready = live and not self.stop.is_set() and all(c["state"] == "consuming" for c in consumers) \
            and self.relay.state in ("leader", "standby")
        return {"service": self.runtime.name, "pid": os.getpid(), "at": time.time(), "live": live, "ready": ready,
                "relay": {"state": self.relay.state, "last_error": self.relay.last_error},
                "consumers": consumers}

    def _heartbeat(self) -> None:
        path = heartbeat_path(self.runtime.settings, self.runtime.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.status()))
            tmp.replace(path)
            if self.stop.wait(HEARTBEAT_SECONDS):
                return

    def shutdown(self, timeout: float = 10) -> None:
        self.stop.set()
        self.relay.wakeup.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def run_forever(runtime: ServiceRuntime) -> None:
    runtime.refuse_unsafe_start("worker")  # before touching the store: one line, not a traceback
    worker = Worker(runtime).start()
    port = runtime.settings.worker_http_port
    if port:
        from shared.worker_http import serve_worker_http

        serve_worker_http(worker, port)
    log(logger, logging.INFO, "worker started", service=runtime.name, pid=os.getpid(), http_port=port or None)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    worker.shutdown()


def read_heartbeat(settings, service: str) -> dict | None:
    path = heartbeat_path(settings, service)
    try:
        status = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(status, dict) or time.time() - float(status.get("at", 0)) > HEARTBEAT_MAX_AGE:
        return None
    return status


def worker_is_healthy(settings, service: str, *, ready: bool = False) -> bool:
    """Live: the heartbeat is fresh and no consumer thread is dead or stuck. Ready: also all consuming."""
    status = read_heartbeat(settings, service)
    return bool(status and status["live"] and (status["ready"] or not ready))
