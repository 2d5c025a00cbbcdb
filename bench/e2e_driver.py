"""The end-to-end load of `bench.bus_vs_nameko`, the same for every system measured: writers (threads)
each call "write one document and announce it"; the subscriber side, a process of its own, prints
`applied <key> <time.time()>` once it has applied an event to its own collection. No Maillage import
here: the nameko baseline runs it from its own virtualenv.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
import uuid

BLOB = "Maison de santé pluriprofessionnelle, projet de santé validé par l'ARS. " * 8  # ~600 bytes


def document(n: int) -> dict:
    """What a writer writes: about the size of a registered structure."""
    return {"kind": "MSP", "name": f"MSP bench {n:05d} {uuid.uuid4().hex[:6]}", "city": "Angers",
            "department": "49", "notes": BLOB}


class AppliedLines:
    """Reads the subscriber process's `applied <key> <t>` lines; `ready` once it printed `ready`."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.applied: dict[str, float] = {}
        self.ready = threading.Event()
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            parts = line.split()
            if parts[:1] == ["ready"]:
                self.ready.set()
            elif parts[:1] == ["applied"] and len(parts) == 3:
                with self.changed:
                    self.applied[parts[1]] = float(parts[2])
                    self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_ready(self, timeout: float = 60) -> None:
        if not self.ready.wait(timeout):
            raise RuntimeError("the subscriber side did not get ready")

    def wait_for(self, keys, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not all(k in self.applied for k in keys):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    missing = sum(k not in self.applied for k in keys)
                    raise RuntimeError(f"{missing} of {len(keys)} events not applied in time")
                self.changed.wait(min(left, 0.5))


def run_phase(writer_factory, lines: AppliedLines, *, events: int, concurrency: int, start: int,
              pace: float | None = None, timeout: float = 300) -> dict:
    """`writer_factory()` gives each writer thread its `write(n) -> key`. Returns throughput (events
    applied per second from the first write) and write → applied latencies."""
    written: dict[str, float] = {}
    call_ms: list[float] = []
    numbers = iter(range(start, start + events))
    take = threading.Lock()
    errors: list[BaseException] = []
    began = time.time()

    def writer():
        try:
            write = writer_factory()
            while True:
                with take:
                    n = next(numbers, None)
                if n is None:
                    return
                if pace:
                    time.sleep(max(0.0, began + (n - start) / pace - time.time()))
                at = time.time()
                written[write(n)] = at
                call_ms.append((time.time() - at) * 1000)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    writes_done = time.time()
    lines.wait_for(list(written), timeout)
    last = max(lines.applied[k] for k in written)
    latencies = sorted((lines.applied[k] - written[k]) * 1000 for k in written)
    return {"events": events, "concurrency": concurrency, "throughput": events / (last - began),
            "writes_per_s": events / (writes_done - began),
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
            "mean_ms": statistics.fmean(latencies),
            # How much of write → projection is the writer's own call (its store work, or nameko's RPC).
            "call_p50_ms": percentile(call_ms, 50)}


def percentile(ordered: list[float], p: float) -> float:
    ordered = sorted(ordered)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measured(meter, phase, events: int) -> dict:
    before = meter.snapshot()
    result = phase()
    result.update(meter.per_event(before, meter.snapshot(), events))
    return result


def run_all(writer_factory, lines: AppliedLines, meter, *, events: int, paced: int) -> dict:
    """Warm-up, then throughput at writer concurrency 1 and 4, then paced at 10/s."""
    run_phase(writer_factory, lines, events=20, concurrency=2, start=0)
    out = {}
    out["c1"] = measured(meter, lambda: run_phase(writer_factory, lines, events=events, concurrency=1,
                                                  start=1_000), events)
    out["c4"] = measured(meter, lambda: run_phase(writer_factory, lines, events=events, concurrency=4,
                                                  start=100_000), events)
    out["paced"] = measured(meter, lambda: run_phase(writer_factory, lines, events=paced, concurrency=1,
                                                     start=200_000, pace=10.0), paced)
    return out


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)
    sys.stdout.flush()
