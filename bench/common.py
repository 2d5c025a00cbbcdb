"""Shared pieces of the benchmarks: a SecantusDB to measure on, an HTTP load loop, percentiles."""
from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

from shared.devserver import free_port, port_open, start_secantus


@contextmanager
def mongo():
    if os.environ.get("MONGO_URL"):
        yield os.environ["MONGO_URL"]
        return
    proc, url = start_secantus(":memory:", sync=False)
    try:
        yield url
    finally:
        proc.kill()


@contextmanager
def mongo_with_pid():
    """Like `mongo()`, with the store's process id (0 for MONGO_URL) for measuring its CPU."""
    if os.environ.get("MONGO_URL"):
        yield os.environ["MONGO_URL"], 0
        return
    proc, url = start_secantus(":memory:", sync=False)
    try:
        yield url, proc.pid
    finally:
        proc.kill()


def amqp_url() -> str:
    return os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(values_ms: list[float]) -> str:
    return (f"n={len(values_ms)} p50={percentile(values_ms, 50):.2f} ms p99={percentile(values_ms, 99):.2f} ms "
            f"mean={statistics.fmean(values_ms):.2f} ms")


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int = 2, threads: int = 4):
    port = free_port()
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-c", "deploy/gunicorn.conf.py", app_spec],
        env={**os.environ, **env, "PORT": str(port), "WEB_CONCURRENCY": str(workers),
             "GUNICORN_THREADS": str(threads), "LOG_LEVEL": "WARNING", "BIND_HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not port_open("127.0.0.1", port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn {app_spec} did not start")
        time.sleep(0.1)
    GUNICORN_MASTERS[port] = proc.pid
    try:
        yield port
    finally:
        del GUNICORN_MASTERS[port]
        proc.terminate()
        proc.wait(10)


GUNICORN_MASTERS: dict[int, int] = {}  # port -> pid of the gunicorn master serving it (see `gunicorn_workers`)


def gunicorn_workers(port: int) -> list[int]:
    """The pids of the worker processes of the gunicorn started on `port` (children of its master)."""
    master = GUNICORN_MASTERS[port]
    with open(f"/proc/{master}/task/{master}/children") as f:
        return [int(pid) for pid in f.read().split()]


def load(port: int, path: str, headers: dict, seconds: float = 5.0, clients: int = 8) -> dict:
    """Closed-loop load: `clients` keep-alive connections for `seconds`; returns req/s and latencies."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    # warm-up
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(20):
        warm.request("GET", path, headers=headers)
        warm.getresponse().read()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"rps": len(latencies) / elapsed, "latencies": latencies, "errors": errors[0]}


CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))


def timed_concurrently(fn, items, concurrency: int = CONCURRENCY) -> tuple[float, list[float]]:
    """Run `fn` on every item from `concurrency` threads; returns (items per second, latencies in ms)."""
    from concurrent.futures import ThreadPoolExecutor

    latencies: list[float] = []

    def one(item):
        started = time.perf_counter()
        fn(item)
        latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, items))
    return len(items) / (time.perf_counter() - started), latencies


def delete_from_broker(settings) -> None:
    """What a benchmark's run declared on the shared broker: its events and wake exchanges, and the platform's
    queues under its own `bench.` prefix (never unprefixed ones: those are a dev run's)."""
    from shared.bus.connection import connect
    from shared.testing.broker_cleanup import delete_exchanges, delete_platform_queues

    if settings.queue_prefix.startswith("bench."):
        delete_platform_queues(settings)
    with connect(settings, confirms=False) as conn:
        delete_exchanges(conn, settings)
