"""Backbone benchmark (issue 2), two ratios measured in one run on this machine:

1. `GET /registry/v1/structures?department=..` (20 items, JWT, validation, marshmallow, count) under
   gunicorn, req/s against a bare Flask + pymongo endpoint running the same query on the same data.
2. HTTP write → event consumed latency (api in gunicorn, transaction + outbox, relay in a worker woken
   by a poke through the broker, RabbitMQ with confirms) against raw kombu publish(confirm) → consume.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from contextlib import contextmanager

from kombu import Connection, Consumer, Exchange, Producer, Queue

from bench.common import amqp_url, delete_from_broker, gunicorn, load, mongo, summary
from shared.config import Settings
from shared.http.auth import issue_token
from shared.runtime import ServiceRuntime
from shared.worker import Worker

DEPARTMENTS = ["44", "49", "53", "72", "85"]
PER_DEPARTMENT = 200
WRITES = 200


def seed(settings) -> None:
    app = ServiceRuntime("registry", settings).create_app()
    client = app.test_client()
    token = issue_token(settings, sub="bench", federation="apmsl", roles=["admin"])
    headers = {"Authorization": f"Bearer {token}"}
    for dep in DEPARTMENTS:
        for n in range(PER_DEPARTMENT):
            r = client.post("/registry/v1/structures", headers=headers, json={
                "kind": "MSP", "name": f"MSP {dep}-{n:04d}", "city": f"Ville {n}", "department": dep})
            assert r.status_code == 201, r.json


def list_throughput(settings, env) -> None:
    token = issue_token(settings, sub="bench", federation="apmsl", roles=["admin"])
    auth = {"Authorization": f"Bearer {token}"}
    with gunicorn("bench.baseline_app:create_app()", env) as port:
        base = load(port, "/structures?department=49", {})
    with gunicorn("services.registry.app:create_app()", env) as port:
        ours = load(port, "/registry/v1/structures?department=49&per_page=20", auth)
    print(f"list 20 structures — bare Flask+pymongo: {base['rps']:.0f} req/s ({summary(base['latencies'])})")
    print(f"list 20 structures — Maillage registry : {ours['rps']:.0f} req/s ({summary(ours['latencies'])})")
    print(f"  ratio Maillage / baseline = {ours['rps'] / base['rps']:.2f} (errors {ours['errors']}/{base['errors']})")


class Receiver:
    def __init__(self, url: str, exchange: Exchange, pattern: str):
        self.conn = Connection(url)
        self.queue = Queue(f"bench.{uuid.uuid4().hex[:8]}", exchange=exchange, routing_key=pattern,
                           exclusive=True, auto_delete=True)
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        self.ready.wait(10)

    def run(self):
        def on_message(message):
            self.seen[json.loads(message.body)["subject"]] = time.perf_counter()
            message.ack()
        with Consumer(self.conn.channel(), queues=[self.queue], on_message=on_message, accept=None):
            self.ready.set()
            while not self.stop.is_set():
                try:
                    self.conn.drain_events(timeout=0.2)
                except TimeoutError:
                    pass

    def wait(self, key: str) -> float:
        deadline = time.monotonic() + 10
        while key not in self.seen:
            if time.monotonic() > deadline:
                raise TimeoutError(key)
            time.sleep(0.0002)
        return self.seen[key]

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.conn.release()


@contextmanager
def raw_broker(url: str):
    """The raw baseline's pair: a producer with publisher confirms on an exchange of its own, and a receiver
    bound to all of it."""
    exchange = Exchange(f"bench.raw.{uuid.uuid4().hex[:6]}", type="topic", durable=False, auto_delete=True)
    with Connection(url, transport_options={"confirm_publish": True}) as conn:
        exchange(conn.default_channel).declare()
        receiver = Receiver(url, exchange, "#")
        try:
            yield Producer(conn.default_channel, exchange=exchange), receiver
        finally:
            receiver.close()


def raw_kombu_throughput(url: str, count: int, routing_key: str) -> float:
    """The raw baseline: `count` persistent 1 KB messages, each published with its confirm, to a bound queue
    whose consumer has seen the last; returns messages per second."""
    with raw_broker(url) as (producer, receiver):
        started = time.perf_counter()
        for n in range(count):
            producer.publish(json.dumps({"subject": f"raw-{n}", "data": "x" * 900}), routing_key=routing_key,
                             delivery_mode=2, message_id=str(n))
        receiver.wait(f"raw-{count - 1}")
        return count / (time.perf_counter() - started)


def raw_kombu_latency(url: str) -> list[float]:
    with raw_broker(url) as (producer, receiver):
        body = "x" * 900
        latencies = []
        for n in range(WRITES):
            key = f"raw-{n}"
            started = time.perf_counter()
            producer.publish(json.dumps({"subject": key, "data": body}), routing_key="registry.structure.registered",
                             delivery_mode=2, content_type="application/json")
            latencies.append((receiver.wait(key) - started) * 1000)
    return latencies


def maillage_latency(settings, env) -> tuple[list[float], list[float]]:
    worker = Worker(ServiceRuntime("registry", settings)).start()
    receiver = Receiver(settings.amqp_url, Exchange(settings.exchange, type="topic", durable=True), "registry.#")
    token = issue_token(settings, sub="bench", federation="apmsl", roles=["admin"])
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies, writes = [], []
    try:
        with gunicorn("services.registry.app:create_app()", env, workers=1, threads=4) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for n in range(WRITES):
                body = json.dumps({"kind": "CPTS", "name": f"CPTS bench {n}", "city": "Angers", "department": "49"})
                started = time.perf_counter()
                conn.request("POST", "/registry/v1/structures", body=body, headers=headers)
                response = conn.getresponse()
                created = json.loads(response.read())
                writes.append((time.perf_counter() - started) * 1000)
                latencies.append((receiver.wait(created["id"]) - started) * 1000)
    finally:
        receiver.close()
        worker.shutdown(5)
    return latencies, writes


def main() -> None:
    with mongo() as url:
        tag = uuid.uuid4().hex[:6]
        settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{tag}_", amqp_url=amqp_url(),
                            exchange=f"bench.{tag}.events", queue_prefix=f"bench.{tag}.", log_level="WARNING",
                            var_dir=f"/tmp/maillage-bench-{tag}")
        env = {"MONGO_URL": url, "MONGO_DB_PREFIX": settings.mongo_db_prefix, "AMQP_URL": settings.amqp_url,
               "BUS_EXCHANGE": settings.exchange, "BUS_QUEUE_PREFIX": settings.queue_prefix,
               "JWT_SECRET": settings.jwt_secret, "LOG_LEVEL": "WARNING"}
        started = time.monotonic()
        try:
            seed(settings)
            print(f"seeded {len(DEPARTMENTS) * PER_DEPARTMENT} structures in {time.monotonic() - started:.1f} s")
            list_throughput(settings, env)
            raw = raw_kombu_latency(settings.amqp_url)
            ours, writes = maillage_latency(settings, env)
        finally:
            delete_from_broker(settings)
        print(f"raw kombu publish(confirm)→consume : {summary(raw)}")
        print(f"HTTP write → event consumed        : {summary(ours)}")
        print(f"  of which the HTTP write (201)    : {summary(writes)}")
        from bench.common import percentile
        print(f"  ratio p50 = {percentile(ours, 50) / percentile(raw, 50):.1f}×, "
              f"p99 = {percentile(ours, 99) / percentile(raw, 99):.1f}× the raw broker round trip")


if __name__ == "__main__":
    main()
