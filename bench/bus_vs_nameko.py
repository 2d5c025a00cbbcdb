"""Bus end to end against nameko (issue 12, goal 1), all in one run, same SecantusDB, same broker, same
work: "a service call writes one document and announces it; another service's handler applies it to
its own collection".

* raw pymongo + kombu (`bench/peers.py raw`): insert_one, publish with a confirm; a consumer upserts.
* nameko 2.14.1 (`bench/peers.py nameko`, from its own virtualenv): an RPC method inserts and
  dispatches, an event handler upserts. No outbox, no idempotency, no retry or DLQ.
* Maillage: writer threads call the registry's `register_structure` (what an api thread does, without
  HTTP: one transaction with the outbox row); the relay runs in the registry's real worker
  (`maillage worker registry`, another process); the events worker (another process,
  `bench/maillage_subscriber.py`) projects the structure in its consumer transaction.

For each: throughput (events applied per second, from the first write to the last apply) at writer
concurrency 1 and 4; write → projection latency paced at 10 writes/s; store operations
(serverStatus opcounters) and store CPU (/proc/<pid>/stat of the SecantusDB process) per event.
Median of `--runs` runs (3) with the range.

    .venv/bin/python -m bench bus_vs_nameko
    .venv/bin/python -m bench.bus_vs_nameko --runs 5 --events 600 --paced 60
    .venv/bin/python -m bench.bus_vs_nameko --make-nameko-venv  # creates var/bench-nameko-venv first

nameko needs eventlet and its own kombu: it lives in `var/bench-nameko-venv` (BENCH_NAMEKO_VENV),
never in .venv; without it the nameko column is skipped and the command to create it is printed.
Figures are also written to var/bench/bus_vs_nameko.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.common import amqp_url, delete_from_broker, mongo_with_pid
from bench.e2e_driver import AppliedLines, run_all
from bench.store_meter import StoreMeter
from shared.config import Settings
from shared.http.auth import Principal
from shared.mongo import get_client
from shared.runtime import ServiceRuntime

ROOT = Path(__file__).resolve().parent.parent
NAMEKO_VENV = Path(os.environ.get("BENCH_NAMEKO_VENV", ROOT / "var" / "bench-nameko-venv"))
NAMEKO_PINS = ["nameko==2.14.1", "eventlet==0.41.3", "kombu==5.7.0", "pymongo==4.20.0"]
METRICS = (("c1", "throughput", "/s"), ("c4", "throughput", "/s"), ("paced", "p50_ms", " ms"),
           ("c4", "ops_per_event", ""), ("c4", "cpu_ms_per_event", " ms"), ("paced", "cpu_ms_per_event", " ms"))


def make_nameko_venv() -> None:
    subprocess.run([sys.executable, "-m", "venv", str(NAMEKO_VENV)], check=True)
    subprocess.run([str(NAMEKO_VENV / "bin" / "pip"), "install", "--quiet", *NAMEKO_PINS], check=True)


def peer(python: Path, mode: str, url: str, pid: int, args) -> dict:
    result = subprocess.run(
        [str(python), str(ROOT / "bench" / "peers.py"), mode, "--mongo", url, "--amqp", amqp_url(),
         "--store-pid", str(pid or 0), "--events", str(args.events), "--paced", str(args.paced)],
        capture_output=True, text=True, timeout=900, cwd=ROOT)
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"peers.py {mode} failed: {result.stderr[-2000:]}")


def maillage(url: str, pid: int, args) -> dict:
    from services.registry.structures import register_structure

    tag = uuid.uuid4().hex[:6]
    settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{tag}_", amqp_url=amqp_url(),
                        exchange=f"bench.{tag}.events", queue_prefix=f"bench.{tag}.", log_level="WARNING",
                        var_dir=f"/tmp/maillage-bench-{tag}")
    env = {**os.environ, "MONGO_URL": url, "MONGO_DB_PREFIX": settings.mongo_db_prefix,
           "AMQP_URL": settings.amqp_url, "BUS_EXCHANGE": settings.exchange,
           "BUS_QUEUE_PREFIX": settings.queue_prefix, "LOG_LEVEL": "WARNING", "MAILLAGE_ENV": "test",
           "VAR_DIR": settings.var_dir}
    registry = ServiceRuntime("registry", settings)
    registry.ensure_indexes()
    db = registry.db
    principal = Principal(sub="bench", federation="apmsl", roles=frozenset({"admin"}))

    def writer_factory():
        def write(n):
            return register_structure(db, principal, {"kind": "MSP", "name": f"MSP bench {n:05d}",
                                                      "city": "Angers", "department": "49"})["_id"]
        return write

    relay = subprocess.Popen([str(ROOT / ".venv" / "bin" / "maillage"), "worker", "registry"], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subscriber = subprocess.Popen([sys.executable, "-m", "bench.maillage_subscriber"], env=env, cwd=ROOT,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        lines = AppliedLines(subscriber)
        lines.wait_ready()
        meter = StoreMeter(get_client(url), pid, {"writers": os.getpid(), "relay": relay.pid,
                                                  "subscriber": subscriber.pid})
        return run_all(writer_factory, lines, meter, events=args.events, paced=args.paced)
    finally:
        subscriber.stdin.close()
        for proc in (subscriber, relay):
            proc.terminate()
            proc.wait(15)
        delete_from_broker(settings)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def report(runs: list[dict]) -> None:
    systems = [s for s in ("raw", "nameko", "maillage") if all(s in r for r in runs)]
    print(f"\nmedian (range) of {len(runs)} runs; writers call the service in-process (nameko: RPC)")
    header = ["", "c=1 /s", "c=4 /s", "paced p50 ms", "ops/event", "store CPU ms/event (c=4)",
              "(paced)"]
    print(" | ".join(f"{h:>18}" for h in header))
    for system in systems:
        cells = [spread([r[system][phase][key] for r in runs]) if runs[0][system][phase][key] is not None
                 else "n/a" for phase, key, _ in METRICS]
        print(" | ".join(f"{c:>18}" for c in [system, *cells]))
    if "nameko" in systems:
        for system in [s for s in systems if s != "nameko"]:
            ratios = [[r[system][p][k] / r["nameko"][p][k] for r in runs] for p, k, _ in METRICS[:3]]
            print(f"{system} / nameko: c=1 {spread(ratios[0])}×, c=4 {spread(ratios[1])}×, "
                  f"paced p50 {spread(ratios[2])}×   (goal: ≥ 1.0×, ≥ 1.0×, ≤ 1.5×)")
    for system in systems:
        last = runs[-1][system]["c4"]
        print(f"{system} at c=4 (last run): store ops per event {last['ops_by_kind']}; "
              f"CPU ms per event of its processes {last.get('process_cpu_ms_per_event')}; paced: the writer's "
              f"call {runs[-1][system]['paced'].get('call_p50_ms', 0):.1f} ms of write → projection "
              f"{runs[-1][system]['paced']['p50_ms']:.1f} ms (p50)")


def main() -> None:
    argv = [a for a in sys.argv[1:] if a != "bus_vs_nameko"]
    p = argparse.ArgumentParser(prog="bench.bus_vs_nameko")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--events", type=int, default=400)
    p.add_argument("--paced", type=int, default=50)
    p.add_argument("--make-nameko-venv", action="store_true")
    p.add_argument("--only", default="raw,nameko,maillage")
    args, _ = p.parse_known_args(argv)
    if args.make_nameko_venv and not (NAMEKO_VENV / "bin" / "python").exists():
        make_nameko_venv()
    only = set(args.only.split(","))
    nameko_python = NAMEKO_VENV / "bin" / "python"
    if "nameko" in only and not nameko_python.exists():
        print(f"nameko baseline skipped: no {NAMEKO_VENV} (create it with "
              f"`.venv/bin/python -m bench.bus_vs_nameko --make-nameko-venv`)")
        only.discard("nameko")
    runs = []
    with mongo_with_pid() as (url, pid):
        for n in range(args.runs):
            run = {}
            if "raw" in only:
                run["raw"] = peer(ROOT / ".venv" / "bin" / "python", "raw", url, pid, args)
            if "nameko" in only:
                run["nameko"] = peer(nameko_python, "nameko", url, pid, args)
            if "maillage" in only:
                run["maillage"] = maillage(url, pid, args)
            runs.append(run)
            print(f"run {n + 1}: " + ", ".join(
                f"{s} c1 {r['c1']['throughput']:.0f}/s c4 {r['c4']['throughput']:.0f}/s "
                f"paced p50 {r['paced']['p50_ms']:.1f} ms" for s, r in run.items()), flush=True)
    out = ROOT / "var" / "bench" / "bus_vs_nameko.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"at": time.time(), "args": vars(args), "runs": runs}, indent=1))
    report(runs)


if __name__ == "__main__":
    main()
