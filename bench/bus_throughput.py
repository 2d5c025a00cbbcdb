"""Bus throughput: how fast the outbox relay moves a backlog of 1 KB events to a consumer, against raw
kombu publishing each message with its confirm (the TOOLCHAIN figure nameko reaches is ~560 events/s)."""
from __future__ import annotations

import time
import uuid

from kombu import Exchange
from marshmallow import Schema, fields

from bench.backbone import Receiver, raw_kombu_throughput
from bench.common import amqp_url, delete_from_broker, mongo
from shared.bus.catalog import EventCatalog
from shared.bus.outbox import OUTBOX_INDEXES, atomic
from shared.bus.relay import OutboxRelay
from shared.config import Settings
from shared.mongo import ensure_indexes, service_database

EVENTS = 3000
PER_TRANSACTION = 100


class Payload(Schema):
    blob = fields.Str()


PROBE = EventCatalog("registry").event("registry.probe.sent.v1", Payload, "bench only")


def relay(settings) -> tuple[float, float]:
    db = service_database(settings, "registry")
    ensure_indexes(db, OUTBOX_INDEXES)
    started = time.perf_counter()
    for batch in range(EVENTS // PER_TRANSACTION):
        def write(tx, batch=batch):
            for n in range(PER_TRANSACTION):
                tx.emit(PROBE, subject=f"e-{batch * PER_TRANSACTION + n}", data={"blob": "x" * 900}, sequence=1,
                        federation="apmsl")
        atomic(db, "registry", write)
    written = EVENTS / (time.perf_counter() - started)
    receiver = Receiver(settings.amqp_url, Exchange(settings.exchange, type="topic", durable=True), "registry.#")
    started = time.perf_counter()
    published = OutboxRelay(db, "registry", settings).publish_pending()
    receiver.wait(f"e-{EVENTS - 1}")
    elapsed = time.perf_counter() - started
    receiver.close()
    assert published == EVENTS
    return written, EVENTS / elapsed


def main() -> None:
    with mongo() as url:
        tag = uuid.uuid4().hex[:6]
        # the relay is what is measured: this process must not publish its own commits first
        settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{tag}_", amqp_url=amqp_url(),
                            exchange=f"bench.{tag}.events", outbox_publish_on_commit=False)
        raw = raw_kombu_throughput(settings.amqp_url, EVENTS, "registry.probe.sent")
        try:
            written, moved = relay(settings)
        finally:
            delete_from_broker(settings)
        print(f"raw kombu, one confirm per message   : {raw:.0f} events/s")
        print(f"outbox relay (batched, pipelined)    : {moved:.0f} events/s  = {moved / raw:.2f}× raw kombu "
              f"(nameko reference on this machine: ~560/s)")
        print(f"writing them to the outbox ({PER_TRANSACTION}/tx) : {written:.0f} events/s")


if __name__ == "__main__":
    main()
