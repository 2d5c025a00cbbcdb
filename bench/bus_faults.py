"""The bus under faults, in one run, with the real services: what is written, delivered, lost and
duplicated, and how long the projections take to be complete again after the fault.

Everything runs on infrastructure of the bench's own, never the shared broker on 5672: a RabbitMQ node
(`shared.testing.broker_node`) that the bench stops and kills, and an embedded store (SecantusDB
`--sync-on-commit`, in a temp directory) that it kills with -9 and restarts on the same directory and port.
The registry writes structures through its use case (`register_structure`) from this process; the
registry, events, training and notifications workers run as separate processes (`maillage worker
<service>`), the production way. An outside subscriber (a durable capture queue bound to
`registry.structure.#`) counts the copies of each event the broker delivered.

Scenarios (the baseline is the same stream with no fault, measured in the same run):
  0  no fault          a stream of writes; seconds from its end until every projection holds every write
  a  broker stop       the broker is stopped (SIGTERM) for OUTAGE seconds during the stream
  b  broker kill -9    the broker's VM is killed with -9, then started again at once
  c  store kill -9     the store is killed with -9 for OUTAGE seconds during the stream, then restarted
  d  two relays        a backlog of BACKLOG events and two registry workers started together on it,
                       against one registry worker on an equal backlog (consumer workers stopped
                       meanwhile, so that the figure is the relays')

For a–c, "recovery" is the time from the end of the fault (broker / store answering again) until every
write committed before it is in all three projections and on the capture queue; "settled" the time
until every write of the stream is. "Lost" is a committed structure missing from a projection when the
bench gives up waiting (MAX_WAIT s). "Duplicates" are counted three ways: copies the broker delivered to
the capture queue beyond one per event id (first deliveries only: a capture redelivery is not a
duplicate publish), redeliveries the consumers caught as already processed (their `duplicate` outcome in
each worker's /metrics), and handler runs committed beyond one per event (`handled` minus processed records,
on the queues that keep them: the events and training projections are single upserts, which keep none and
which a second run leaves as they were).

    .venv/bin/python -m bench.bus_faults            # full run, 6-9 minutes (the drains of (d) dominate)
    .venv/bin/python -m bench.bus_faults --quick    # 8 s outages, 2,000-event backlogs, ~2 minutes
    .venv/bin/python -m bench bus_faults --quick

Figures are printed as a table and written to var/bench/bus_faults.json.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from kombu import Connection, Consumer, Exchange, Queue
from prometheus_client.parser import text_string_to_metric_families

from shared.config import Settings
from shared.devserver import free_port, port_open, start_secantus
from shared.http.auth import Principal
from shared.mongo import service_database
from shared.projection import is_single_upsert
from shared.runtime import ServiceRuntime
from shared.testing.broker_node import BrokerNode, broker_node_available

QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
ONLY_BACKLOG = "--only-backlog" in sys.argv   # scenario (d) alone
KEEP = "--keep" in sys.argv                   # keep the run's folder (worker logs) and say where
OUTAGE = 8.0 if QUICK else 30.0          # broker stop / store down, seconds
BEFORE = 3.0 if QUICK else 5.0           # stream of writes before the fault
AFTER = 2.0 if QUICK else 5.0            # and after it (a–c)
PACE = 0.05                              # seconds between two writes (~15-20 writes/s)
BACKLOG = 2_000 if QUICK else 10_000     # (d)
MAX_WAIT = 90.0 if QUICK else 150.0      # waiting for complete projections, per scenario
RESULTS = Path("var/bench/bus_faults.json")

STAFF = Principal(sub="staff-apmsl", federation="apmsl", roles=frozenset({"staff"}))
PROJECTIONS = ("events", "training", "notifications")
QUEUES = ("events.registry-projection", "training.registry-projection", "notifications.messages",
          "notifications.webhooks")
CONSUMER_SERVICES = ("events", "training", "notifications")
CAPTURE_QUEUE = "bench.capture.registry-structures"


# --- an outside subscriber that counts what the broker delivers ------------------------------------
class Capture(threading.Thread):
    """Consumes a durable queue bound to the events exchange, reconnecting whatever the broker does.
    `first[id]` counts first deliveries (a publish each); redeliveries of ours are counted apart."""

    def __init__(self, url: str, exchange: str):
        super().__init__(daemon=True, name="capture")
        self.url = url
        self.exchange = Exchange(exchange, type="topic", durable=True)
        self.queue = Queue(CAPTURE_QUEUE, self.exchange, routing_key="registry.structure.#", durable=True)
        self.first: Counter = Counter()
        self.city: dict[str, str] = {}      # event id -> scenario tag
        self.subject: dict[str, str] = {}   # event id -> structure id
        self.redelivered = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.declared = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with Connection(self.url, heartbeat=10, connect_timeout=2) as conn:
                    conn.ensure_connection(max_retries=1, timeout=2)
                    self.queue(conn.default_channel).declare()
                    self.declared.set()
                    with Consumer(conn.channel(), queues=[self.queue], on_message=self.on_message, accept=None,
                                  prefetch_count=500):
                        while not self.stop.is_set():
                            try:
                                conn.drain_events(timeout=1)
                            except socket.timeout:
                                conn.heartbeat_check()
            except Exception:  # noqa: BLE001 - the broker is down or going: try again
                self.stop.wait(0.3)

    def on_message(self, message) -> None:
        event_id = message.properties.get("message_id")
        with self.lock:
            if (message.delivery_info or {}).get("redelivered") and event_id in self.first:
                self.redelivered += 1
            else:
                self.first[event_id] += 1
                if event_id not in self.city:
                    envelope = json.loads(message.body)
                    self.city[event_id] = envelope["data"].get("city")
                    self.subject[event_id] = envelope["subject"]
        message.ack()

    def events_of(self, tag: str) -> tuple[set[str], int]:
        """Event ids of `tag` seen, and copies delivered beyond one per event."""
        with self.lock:
            ids = {e for e, c in self.city.items() if c == tag}
            return ids, sum(self.first[e] - 1 for e in ids)

    def of(self, tag: str) -> tuple[set[str], int]:
        """Structure ids of `tag` seen, and copies delivered beyond one per event."""
        with self.lock:
            ids = [e for e, c in self.city.items() if c == tag]
            return {self.subject[e] for e in ids}, sum(self.first[e] - 1 for e in ids)


# --- writes through the registry's use case -----------------------------------------------------------
class Writer(threading.Thread):
    """Registers structures (city = the scenario's tag) every PACE seconds until `until` is set."""

    def __init__(self, db, tag: str):
        super().__init__(daemon=True, name=f"writer-{tag}")
        self.db, self.tag = db, tag
        self.until = threading.Event()
        self.committed: list[tuple[str, float]] = []  # (structure id, monotonic time it was acknowledged)
        self.failures = 0
        self.slowest = 0.0

    def run(self) -> None:
        from services.registry.structures import register_structure

        n = 0
        while not self.until.is_set():
            n += 1
            started = time.monotonic()
            try:
                doc = register_structure(self.db, STAFF, {"kind": "MSP", "name": f"MSP {self.tag} {n:05d}",
                                                          "city": self.tag, "department": "44"})
                self.committed.append((doc["_id"], time.monotonic()))
            except Exception:  # noqa: BLE001 - the store is down: counted, the stream goes on
                self.failures += 1
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.until.wait(PACE)


# --- the platform of the bench's own --------------------------------------------------------------------
class StoreNode:
    def __init__(self, path: str):
        self.path, self.port, self.proc = path, free_port(), None

    def start(self) -> None:
        self.proc, self.url = start_secantus(self.path, port=self.port, sync=True)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


class Platform:
    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="maillage-bench-faults-"))
        self.broker = BrokerNode()
        self.store = StoreNode(str(self.base / "store"))
        self.workers: dict[str, list[tuple[subprocess.Popen, int]]] = {}
        self.capture: Capture | None = None

    def __enter__(self) -> "Platform":
        self.broker.start()
        self.store.start()
        self.settings = Settings(env="test", mongo_url=self.store.url, mongo_db_prefix="bench_",
                                 amqp_url=self.broker.url, var_dir=str(self.base / "var"))
        self.env = {**os.environ, "MAILLAGE_ENV": "test", "JWT_SECRET": secrets.token_urlsafe(48),
                    "MONGO_URL": self.store.url, "MONGO_DB_PREFIX": "bench_", "AMQP_URL": self.broker.url,
                    "VAR_DIR": str(self.base / "var"), "SMTP_URL": f"file://{self.base / 'mail'}",
                    "LOG_LEVEL": "WARNING", "LOG_JSON": "true"}
        runtimes = {name: ServiceRuntime(name, self.settings) for name in ("registry", *CONSUMER_SERVICES)}
        for runtime in runtimes.values():
            runtime.ensure_indexes()
        # The queues whose handler of the stream's events records them as processed (a `single_upsert`
        # projection records nothing: a second run leaves it as it was).
        handlers = {f"{sub.service}.{sub.purpose}": sub.handler_for("registry.structure.registered")
                    for name in CONSUMER_SERVICES for sub in runtimes[name].subscriptions()}
        self.recorded_queues = [queue for queue in QUEUES if not is_single_upsert(handlers[queue])]
        self.registry = service_database(self.settings, "registry")
        self.dbs = {name: service_database(self.settings, name) for name in PROJECTIONS}
        self.capture = Capture(self.broker.url, self.settings.exchange)
        self.capture.start()
        if not self.capture.declared.wait(20):
            raise RuntimeError("capture queue could not be declared")
        return self

    def __exit__(self, *exc) -> None:
        for name in list(self.workers):
            self.stop_workers(name)
        if self.capture:
            self.capture.stop.set()
        self.store.kill()
        self.broker.close()
        if KEEP:
            print(f"run folder kept: {self.base}")
        else:
            shutil.rmtree(self.base, ignore_errors=True)

    # workers ---------------------------------------------------------------------------------------
    def start_worker(self, service: str) -> None:
        port = free_port()
        log = open(self.base / f"worker-{service}-{port}.log", "ab")
        proc = subprocess.Popen([str(Path(sys.executable).with_name("maillage")), "worker", service],
                                env={**self.env, "WORKER_HTTP_PORT": str(port)}, stdout=log, stderr=log)
        self.workers.setdefault(service, []).append((proc, port))

    def wait_workers_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for service, procs in self.workers.items():
            for proc, port in procs:
                while not self.health(port).get("ready"):
                    if proc.poll() is not None:
                        raise RuntimeError(f"the {service} worker exited with {proc.returncode}; "
                                           f"see {self.base}/worker-{service}-{port}.log")
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the {service} worker is not ready: {self.health(port)}")
                    time.sleep(0.2)

    def stop_workers(self, service: str) -> None:
        procs = self.workers.pop(service, [])
        for proc, _ in procs:
            proc.send_signal(signal.SIGTERM)
        self.wait_stopped(procs)

    @staticmethod
    def wait_stopped(procs) -> None:
        for proc, _ in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    @staticmethod
    def health(port: int) -> dict:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return json.loads(exc.read() or b"{}")
        except Exception:  # noqa: BLE001 - not up yet
            return {}

    def consumed(self) -> Counter:
        """(queue, outcome) -> events, summed over the consumer workers' /metrics."""
        totals: Counter = Counter()
        for service in CONSUMER_SERVICES:
            for _, port in self.workers.get(service, []):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    text = response.read().decode()
                for family in text_string_to_metric_families(text):
                    if family.name != "maillage_events_consumed":
                        continue
                    for sample in family.samples:
                        if sample.name.endswith("_total"):
                            totals[(sample.labels["queue"], sample.labels["outcome"])] += sample.value
        return totals

    def consumer_states(self) -> dict:
        states = {}
        for service in CONSUMER_SERVICES:
            for _, port in self.workers.get(service, []):
                for c in self.health(port).get("consumers", []):
                    states[c["queue"]] = {"state": c["state"], "reconnects": c["reconnects"],
                                          "thread_alive": c["thread_alive"]}
        return states

    # what the store holds --------------------------------------------------------------------------
    def projected(self, tag: str) -> dict[str, set[str]]:
        return {name: {d["_id"] for d in db["structures"].find({"city": tag}, {"_id": 1})}
                for name, db in self.dbs.items()}

    def written(self, tag: str) -> set[str]:
        return {d["_id"] for d in self.registry["structures"].find({"city": tag}, {"_id": 1})}

    def processed(self, event_ids: list[str]) -> dict[str, int]:
        out = {}
        for queue in self.recorded_queues:
            db = self.dbs[queue.split(".", 1)[0]]
            keys = [f"{queue}:{e}" for e in event_ids]
            out[queue] = sum(db["processed_events"].count_documents({"_id": {"$in": keys[i:i + 2000]}})
                             for i in range(0, len(keys), 2000))
        return out

    def event_ids(self, structure_ids: set[str]) -> list[str]:
        ids = list(structure_ids)
        found = []
        for i in range(0, len(ids), 2000):
            found += [d["_id"] for d in self.registry["outbox"].find(
                {"envelope.subject": {"$in": ids[i:i + 2000]}}, {"_id": 1})]
        return found


# --- the scenarios ---------------------------------------------------------------------------------
def poll_until_complete(p: Platform, tag: str, must, deadline: float, first=None, each=None) -> float | None:
    """Monotonic time at which `must(sets)` first held (sets: each projection's ids of `tag`, then the
    capture's), or None at the deadline. `first(sets)` sees the first sample, `each(sets)` every one."""
    while time.monotonic() < deadline:
        try:
            seen = p.projected(tag)
        except Exception:  # noqa: BLE001 - the store is still coming back
            time.sleep(0.2)
            continue
        captured, _ = p.capture.of(tag)
        sets = [*seen.values(), captured]
        if first is not None:
            first(sets)
            first = None
        if each is not None:
            each(sets)
        if must(sets):
            return time.monotonic()
        time.sleep(0.2)
    return None


def stream_scenario(p: Platform, key: str, title: str, fault) -> dict:
    """Writes for BEFORE s, runs `fault()` (which returns the monotonic time the fault ended), writes
    AFTER s more, and watches, from the end of the fault, for every projection to be complete."""
    tag = f"bench-{key}-{uuid.uuid4().hex[:6]}"
    print(f"  ({key}) {title} …", flush=True)
    before = p.consumed()
    writer = Writer(p.registry, tag)
    started = time.monotonic()
    writer.start()
    time.sleep(BEFORE)
    fault_started = time.monotonic()
    fault_ended = fault()
    committed_before_end = {i for i, at in list(writer.committed) if at <= fault_ended}
    watch: dict = {}

    def behind(sets):
        watch["behind"] = max(len(committed_before_end - s) for s in sets)

    complete_at: dict[str, float] = {}

    def each(sets):  # when each projection (and the capture queue) held everything written before
        for name, ids in zip((*PROJECTIONS, "capture"), sets):
            if name not in complete_at and committed_before_end <= ids:
                complete_at[name] = round(max(0.0, time.monotonic() - fault_ended), 2)

    def watch_recovery():
        watch["recovered"] = poll_until_complete(
            p, tag, lambda sets: all(committed_before_end <= s for s in sets), fault_ended + MAX_WAIT, behind, each)

    watcher = threading.Thread(target=watch_recovery, daemon=True)
    watcher.start()
    time.sleep(AFTER)
    writer.until.set()
    writer.join()
    stream_ended = time.monotonic()
    acknowledged = {i for i, _ in writer.committed}
    settled = poll_until_complete(p, tag, lambda sets: all(acknowledged <= s for s in sets), stream_ended + MAX_WAIT)
    watcher.join(MAX_WAIT)
    recovered = watch.get("recovered")
    # Ground truth: what the registry holds (a write that failed on a dying store may have committed).
    truth = p.written(tag)
    if settled is not None:  # and whatever committed without an acknowledgement
        poll_until_complete(p, tag, lambda sets: all(truth <= s for s in sets), time.monotonic() + 10)
    time.sleep(1.0)  # late duplicates, if any, have time to arrive
    seen = p.projected(tag)
    captured, capture_duplicates = p.capture.of(tag)
    after = p.consumed()
    event_ids = p.event_ids(truth)
    processed = p.processed(event_ids)
    handled = {q: int(after[(q, "handled")] - before[(q, "handled")]) for q in QUEUES}
    caught = {q: int(after[(q, "duplicate")] - before[(q, "duplicate")]) for q in QUEUES}
    result = {
        "scenario": key, "title": title, "fault_seconds": round(fault_ended - fault_started, 1),
        "stream_seconds": round(stream_ended - started, 1),
        "writes_acknowledged": len(acknowledged), "write_failures": writer.failures,
        "slowest_write_seconds": round(writer.slowest, 2),
        "events_written": len(truth), "events_in_outbox": len(event_ids),
        "committed_before_fault_end": len(committed_before_end),
        "first_write_after_fault_end_seconds": next(
            (round(at - fault_ended, 2) for _, at in writer.committed if at > fault_ended), None),
        "behind_at_fault_end": watch.get("behind"),
        "delivered": {name: len(truth & seen[name]) for name in PROJECTIONS},
        "lost": {name: len(truth - seen[name]) for name in PROJECTIONS},
        "capture": {"received": len(truth & captured), "lost": len(truth - captured),
                    "duplicate_copies": capture_duplicates},
        "processed": processed,
        "handler_runs": handled,
        "duplicate_handler_runs": {q: max(0, handled[q] - processed[q]) for q in p.recorded_queues},
        "redeliveries_caught": caught,
        "recovery_seconds_each": complete_at,
        "recovery_seconds": None if recovered is None else round(max(0.0, recovered - fault_ended), 2),
        "settled_seconds_after_stream": None if settled is None else round(max(0.0, settled - stream_ended), 2),
        "consumers_after": p.consumer_states(),
    }
    print(f"      {len(truth)} written, delivered {result['delivered']}, {result['behind_at_fault_end']} behind "
          f"at fault end, recovery {result['recovery_seconds']} s", flush=True)
    return result


def no_fault(p: Platform):
    def fault():
        time.sleep(OUTAGE / 3)
        return time.monotonic()
    return fault


def broker_stop(p: Platform):
    def fault():
        p.broker.stop()
        time.sleep(OUTAGE)
        p.broker.start()
        return time.monotonic()
    return fault


def broker_kill(p: Platform):
    def fault():
        p.broker.kill()
        p.broker.start()
        return time.monotonic()
    return fault


def store_kill(p: Platform):
    def fault():
        p.store.kill()
        time.sleep(OUTAGE)
        p.store.start()
        return time.monotonic()
    return fault


def write_backlog(p: Platform, tag: str, count: int) -> set[str]:
    """`count` registry events pending in the outbox, as after `count` registrations while no relay ran:
    the registry's use case (`register_structure`) builds each structure and its envelope, and the bench
    writes the outbox documents `Tx._write_outbox` makes, with insert_many (the structures themselves
    are not stored: the relays only read the outbox). Returns the event ids."""
    import services.registry.structures as registry_service
    from shared.bus.outbox import Tx

    class Discard:
        def __getitem__(self, name):
            return self

        def insert_one(self, doc, session=None):
            pass

    real_atomic = registry_service.atomic
    event_ids: set[str] = set()
    try:
        for start in range(0, count, 1000):
            outbox = Tx(p.registry, None, "registry")

            def collect(db, source, work, **_):
                tx = Tx(Discard(), None, source)
                result = work(tx)
                outbox.envelopes.extend(tx.envelopes)
                return result

            registry_service.atomic = collect
            for n in range(start, min(count, start + 1000)):
                registry_service.register_structure(p.registry, STAFF, {
                    "kind": "MSP", "name": f"MSP {tag} {n:05d}", "city": tag, "department": "44"})
            registry_service.atomic = real_atomic
            outbox._write_outbox()
            event_ids |= {env["id"] for env in outbox.envelopes}
    finally:
        registry_service.atomic = real_atomic
    return event_ids


def backlog_scenario(p: Platform, key: str, relays: int) -> dict:
    tag = f"bench-{key}-{uuid.uuid4().hex[:6]}"
    print(f"  ({key}) {relays} registry relay(s) on a {BACKLOG}-event backlog …", flush=True)
    written = time.monotonic()
    event_ids = write_backlog(p, tag, BACKLOG)
    print(f"      backlog written in {time.monotonic() - written:.1f} s", flush=True)
    started = time.monotonic()
    for _ in range(relays):
        p.start_worker("registry")
    deadline = started + MAX_WAIT
    drained = None
    while time.monotonic() < deadline:
        captured, _ = p.capture.events_of(tag)
        if p.registry["outbox"].count_documents({"status": "pending"}) == 0 and len(captured) >= len(event_ids):
            drained = time.monotonic()
            break
        time.sleep(0.1)
    time.sleep(1.0)
    relay_states = [p.health(port).get("relay", {}).get("state") for _, port in p.workers.get("registry", [])]
    captured, duplicates = p.capture.events_of(tag)
    published = list(p.registry["outbox"].find({"_id": {"$in": list(event_ids)}, "status": "published"},
                                               {"published_at": 1, "attempts": 1}))
    times = sorted(d["published_at"] for d in published)
    span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else None
    p.stop_workers("registry")
    # The next backlog starts on an outbox of the same size (a batch read costs more on a bigger one).
    p.registry["outbox"].delete_many({"_id": {"$in": list(event_ids)}})
    result = {
        "scenario": key, "relays": relays, "backlog": len(event_ids), "relay_states_after": relay_states,
        "published": len(published), "pending_left": len(event_ids) - len(published),
        "capture": {"received": len(event_ids & captured), "lost": len(event_ids - captured), "duplicate_copies": duplicates},
        "marked_more_than_once": sum(1 for d in published if d.get("attempts", 0) > 1),
        "drain_rate_events_per_s": round(len(published) / span, 1) if span else None,
        "seconds_from_worker_start_to_drained": None if drained is None else round(drained - started, 2),
    }
    print(f"      {result['published']} published, {duplicates} duplicate copies, "
          f"{result['drain_rate_events_per_s']} events/s", flush=True)
    return result


# --- the report ---------------------------------------------------------------------------------------
def table(streams: list[dict], backlogs: list[dict]) -> str:
    base = next((r for r in streams if r["scenario"] == "0"), None)
    lines = ["", "delivered / lost: events, training, notifications projections; dup copies: on the capture "
             "queue; dup runs: handler runs beyond one per event; redeliv.: redeliveries the consumers caught",
             f"{'scenario':<20}{'fault s':>8}{'written':>8}{'w.fail':>7}{'delivered':>14}{'lost':>7}"
             f"{'dup copies':>11}{'dup runs':>9}{'redeliv.':>9}{'behind':>7}{'recovery s':>11}{'all in s':>9}"
             f"{'consumers':>11}"]
    for r in streams:
        delivered = "/".join(str(r["delivered"][n]) for n in PROJECTIONS)
        lost = "/".join(str(r["lost"][n]) for n in PROJECTIONS)
        states = r["consumers_after"].values()
        ok = sum(1 for c in states if c["state"] == "consuming" and c["thread_alive"])
        rec, settled = r["recovery_seconds"], r["settled_seconds_after_stream"]
        lines.append(f"{'(' + r['scenario'] + ') ' + r['title']:<20}{r['fault_seconds']:>8}{r['events_written']:>8}"
                     f"{r['write_failures']:>7}{delivered:>14}{lost:>7}"
                     f"{r['capture']['duplicate_copies']:>11}{sum(r['duplicate_handler_runs'].values()):>9}"
                     f"{sum(r['redeliveries_caught'].values()):>9}{r['behind_at_fault_end']:>7}"
                     f"{'never' if rec is None else rec:>11}{'never' if settled is None else settled:>9}"
                     f"{f'{ok}/{len(states)} up':>11}")
    if base:
        lines.append(f"  baseline (0): with no fault, every write is in every projection "
                     f"{base['settled_seconds_after_stream']} s after the stream ends. fault s: from the fault to "
                     f"the broker / store answering again; recovery s: from then until every write committed "
                     f"before it is in every projection; all in s: after the stream's last write.")
    lines.append("")
    lines.append(f"{'(d) relays on a backlog':<24}{'backlog':>8}{'published':>10}{'left':>6}{'dup copies':>11}"
                 f"{'marked 2x':>10}{'events/s':>10}{'x one relay':>12}{'drained in s':>13}")
    one = next((r for r in backlogs if r["relays"] == 1), None)
    for r in backlogs:
        ratio = ""
        if one and one["drain_rate_events_per_s"] and r["drain_rate_events_per_s"]:
            ratio = f"{r['drain_rate_events_per_s'] / one['drain_rate_events_per_s']:.2f}x"
        lines.append(f"{str(r['relays']) + ' registry worker(s)':<24}{r['backlog']:>8}{r['published']:>10}"
                     f"{r['pending_left']:>6}{r['capture']['duplicate_copies']:>11}{r['marked_more_than_once']:>10}"
                     f"{r['drain_rate_events_per_s'] or '-':>10}{ratio:>12}"
                     f"{r['seconds_from_worker_start_to_drained'] or 'never':>13}")
    lines.append("  events/s: from the first to the last `published_at` of the backlog; drained in s: from starting "
                 "the worker process(es) until nothing is pending and the capture queue has every event.")
    return "\n".join(lines)


def main() -> None:
    if not broker_node_available():
        print("skipped: no local RabbitMQ installation to start a broker node of the bench's own")
        return
    started = time.monotonic()
    print(f"{'quick' if QUICK else 'full'} run: outages {OUTAGE:.0f} s, backlog {BACKLOG} events", flush=True)
    with Platform() as p:
        for service in ("registry", *CONSUMER_SERVICES):
            p.start_worker(service)
        p.wait_workers_ready()
        streams = [] if ONLY_BACKLOG else [
            stream_scenario(p, "0", "no fault", no_fault(p)),
            stream_scenario(p, "a", "broker stop", broker_stop(p)),
            stream_scenario(p, "b", "broker kill -9", broker_kill(p)),
            stream_scenario(p, "c", "store kill -9", store_kill(p)),
        ]
        # (d): the relays alone on the backlog.
        for service in ("registry", *CONSUMER_SERVICES):
            p.stop_workers(service)
        backlogs = [backlog_scenario(p, "d1", 1), backlog_scenario(p, "d2", 2)]
    report = {"quick": QUICK, "outage_seconds": OUTAGE, "backlog": BACKLOG, "cpus": os.cpu_count(),
              "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "run_seconds": round(time.monotonic() - started, 1), "streams": streams, "backlogs": backlogs}
    print(table(streams, backlogs))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"\nfigures in {RESULTS} (run took {report['run_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
