"""The two baselines of `bench.bus_vs_nameko`, standalone (pymongo + kombu, nameko for the second; no
Maillage import) so that nameko runs from its own virtualenv:

* `raw`: a writer does `insert_one` then a kombu publish waiting for its confirm (persistent); a kombu
  consumer in another process upserts the document into its own collection, then acks.
* `nameko`: nameko 2.14.1 — a `registry` service whose RPC method inserts the document and
  dispatches an event (nameko's default: persistent, confirmed), an `events` service whose
  `event_handler` upserts it; the writers are `ClusterRpcProxy` callers. No outbox, no idempotency.

    python bench/peers.py raw|nameko --mongo URL --amqp URL [--store-pid PID] [--events N] [--paced N]

prints `RESULT {json}` (see bench/e2e_driver.py); `... raw-subscriber|nameko-services ...` is the
subscriber side, started by the former.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid

ROLE = sys.argv[1] if len(sys.argv) > 1 else ""
if ROLE == "nameko-services":
    import eventlet

    eventlet.monkey_patch()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pymongo  # noqa: E402

from e2e_driver import AppliedLines, document, emit, run_all  # noqa: E402
from store_meter import StoreMeter  # noqa: E402


def arguments():
    p = argparse.ArgumentParser()
    p.add_argument("role")
    p.add_argument("--mongo", required=True)
    p.add_argument("--amqp", required=True)
    p.add_argument("--store-pid", type=int, default=0)
    p.add_argument("--events", type=int, default=400)
    p.add_argument("--paced", type=int, default=50)
    p.add_argument("--tag", default=uuid.uuid4().hex[:6])
    return p.parse_args()


def applied(key: str) -> None:
    print(f"applied {key} {time.time()}", flush=True)


# --- raw pymongo + kombu ------------------------------------------------------------------------
def raw_exchange(tag):
    from kombu import Exchange
    return Exchange(f"bench.peers.{tag}", type="topic", durable=True)


def raw_subscriber(args) -> None:
    from kombu import Connection, Consumer, Queue

    projection = pymongo.MongoClient(args.mongo)[f"peers_raw_{args.tag}_events"].structures
    queue = Queue(f"bench.peers.{args.tag}.events", raw_exchange(args.tag), routing_key="registry.#",
                  durable=True, auto_delete=True)

    def on_message(message):
        import json
        doc = json.loads(message.body)
        projection.update_one({"_id": doc["_id"]}, {"$set": {k: doc[k] for k in ("kind", "name", "city", "department")}},
                              upsert=True)
        message.ack()
        applied(doc["_id"])

    with Connection(args.amqp) as conn:
        with Consumer(conn.channel(), queues=[queue], on_message=on_message, accept=None, prefetch_count=10):
            print("ready", flush=True)
            while True:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    if os.getppid() == 1:
                        return


def raw(args, meter) -> dict:
    import json
    from kombu import Connection, Producer

    db = pymongo.MongoClient(args.mongo)[f"peers_raw_{args.tag}_registry"]

    def writer_factory():
        conn = Connection(args.amqp, transport_options={"confirm_publish": True})
        producer = Producer(conn.default_channel, exchange=raw_exchange(args.tag))

        def write(n):
            doc = {"_id": str(uuid.uuid4()), **document(n)}
            db.structures.insert_one(doc)
            producer.publish(json.dumps(doc), routing_key="registry.structure.registered", delivery_mode=2,
                             content_type="application/json")
            return doc["_id"]
        return write

    with Connection(args.amqp) as conn:
        raw_exchange(args.tag)(conn.default_channel).declare()
    try:
        return with_subscriber([sys.executable, __file__, "raw-subscriber", *sys.argv[2:], "--tag", args.tag],
                               writer_factory, meter, args)
    finally:
        delete_from_broker(args.amqp, queues=[f"bench.peers.{args.tag}.events"],
                           exchanges=[f"bench.peers.{args.tag}"])


def delete_from_broker(amqp: str, queues: list[str], exchanges: list[str]) -> None:
    """What a run declared on the broker, taken away after it (the broker is shared with other runs)."""
    from kombu import Connection

    with Connection(amqp) as conn:
        for name in queues:
            conn.channel().queue_delete(name)
        for name in exchanges:
            conn.channel().exchange_delete(name)


def with_subscriber(command, writer_factory, meter, args) -> dict:
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
    meter.processes = {"writers": os.getpid(), "subscriber": proc.pid}
    try:
        lines = AppliedLines(proc)
        lines.wait_ready()
        return run_all(writer_factory, lines, meter, events=args.events, paced=args.paced)
    finally:
        proc.terminate()
        proc.wait(10)


# --- nameko ---------------------------------------------------------------------------------------
def nameko_services(args) -> None:
    from nameko.events import EventDispatcher, event_handler
    from nameko.rpc import rpc
    from nameko.runners import ServiceRunner

    registry_db = pymongo.MongoClient(args.mongo)[f"peers_nameko_{args.tag}_registry"]
    events_db = pymongo.MongoClient(args.mongo)[f"peers_nameko_{args.tag}_events"]
    registry_name = f"bench_registry_{args.tag}"

    class Registry:
        name = registry_name
        dispatch = EventDispatcher()

        @rpc
        def register(self, doc):
            registry_db.structures.insert_one(doc)
            self.dispatch("structure_registered", doc)
            return doc["_id"]

    class Events:
        name = f"bench_events_{args.tag}"

        @event_handler(registry_name, "structure_registered")
        def on_registered(self, doc):
            events_db.structures.update_one(
                {"_id": doc["_id"]}, {"$set": {k: doc[k] for k in ("kind", "name", "city", "department")}},
                upsert=True)
            applied(doc["_id"])

    runner = ServiceRunner({"AMQP_URI": args.amqp})
    runner.add_service(Registry)
    runner.add_service(Events)
    runner.start()
    print("ready", flush=True)
    try:
        while os.getppid() != 1:
            eventlet.sleep(1)
    finally:
        runner.stop()


def nameko(args, meter) -> dict:
    from nameko.standalone.rpc import ClusterRpcProxy

    config = {"AMQP_URI": args.amqp}
    registry_name = f"bench_registry_{args.tag}"

    def writer_factory():
        proxy = ClusterRpcProxy(config).start()  # one per writer thread: a proxy is not thread-safe
        service = getattr(proxy, registry_name)

        def write(n):
            return service.register({"_id": str(uuid.uuid4()), **document(n)})
        return write

    try:
        return with_subscriber([sys.executable, __file__, "nameko-services", *sys.argv[2:], "--tag", args.tag],
                               writer_factory, meter, args)
    finally:  # nameko's own names for its queues and its service's event exchange
        events_name = f"bench_events_{args.tag}"
        delete_from_broker(args.amqp, exchanges=[f"{registry_name}.events"], queues=[
            f"rpc-{registry_name}", f"evt-{registry_name}-structure_registered--{events_name}.on_registered"])


def main() -> None:
    args = arguments()
    if args.role == "raw-subscriber":
        return raw_subscriber(args)
    if args.role == "nameko-services":
        return nameko_services(args)
    meter = StoreMeter(pymongo.MongoClient(args.mongo), args.store_pid)
    emit({"raw": raw, "nameko": nameko}[args.role](args, meter))


if __name__ == "__main__":
    main()
