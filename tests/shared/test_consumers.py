"""Consumer runner: idempotent handlers, retries with back-off, dead-letter queue and its replay."""
import json
import threading

from click.testing import CliRunner
from kombu import Producer

from shared.bus.connection import connect, events_exchange
from shared.bus.consumer import QueueWorker, Subscription
from shared.cli import main as cli
from shared.projection import apply_if_newer, single_upsert, upsert_if_newer
from shared.testing import make_event, run_handler, wait_until


def count_visit(envelope, tx):
    tx.db.visits.update_one({"_id": envelope["subject"]}, {"$inc": {"count": 1}}, upsert=True, session=tx.session)


def always_fail(envelope, tx):
    if envelope["data"].get("poison"):
        raise RuntimeError("this handler cannot cope with poison")
    count_visit(envelope, tx)


def publish(settings, envelope, routing_key=None):
    with connect(settings) as conn:
        Producer(conn.default_channel, exchange=events_exchange(settings)).publish(
            json.dumps(envelope), routing_key=routing_key or envelope["type"].rsplit(".", 1)[0],
            content_type="application/cloudevents+json", delivery_mode=2, message_id=envelope["id"])


class Running:
    def __init__(self, db, settings, subscription):
        self.worker = QueueWorker(db, settings, subscription)
        self.worker.declare()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.worker.run_until, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.worker

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


def visits(db, subject):
    doc = db.visits.find_one({"_id": subject})
    return doc["count"] if doc else 0


def test_the_same_event_delivered_twice_has_its_effect_once(runtime, settings):
    rt = runtime("registry")
    sub = Subscription("registry", "test-visits", {"registry.structure.registered": count_visit})
    envelope = make_event("registry.structure.registered.v1", {"id": "s1"}, subject="s1")
    with Running(rt.db, settings, sub):
        publish(settings, envelope)
        publish(settings, envelope)
        publish(settings, make_event("registry.structure.registered.v1", {"id": "s1"}, subject="s1"))
        wait_until(lambda: rt.db.processed_events.count_documents({}) == 2)
    assert visits(rt.db, "s1") == 2  # two distinct events, the duplicate ignored


def test_run_handler_reports_a_duplicate_the_second_time(runtime):
    rt = runtime("registry")
    sub = Subscription("registry", "test-visits", {"registry.#": count_visit})
    envelope = make_event("registry.structure.updated.v1", {}, subject="s2")
    assert run_handler(rt, sub, envelope) == "handled"
    assert run_handler(rt, sub, envelope) == "duplicate"
    assert visits(rt.db, "s2") == 1


def test_a_handler_that_always_fails_ends_in_the_dlq_and_later_messages_still_flow(runtime, settings, monkeypatch):
    rt = runtime("registry")
    sub = Subscription("registry", "test-fragile", {"registry.structure.*": always_fail})
    poison = make_event("registry.structure.registered.v1", {"poison": True}, subject="bad")
    with Running(rt.db, settings, sub) as worker:
        publish(settings, poison)
        for n in range(3):
            publish(settings, make_event("registry.structure.updated.v1", {}, subject=f"good{n}"))
        wait_until(lambda: all(visits(rt.db, f"good{n}") == 1 for n in range(3)), message="good messages handled")
        dlq = worker.topology.dlq.name

        monkeypatch.setenv("AMQP_URL", settings.amqp_url)
        monkeypatch.setenv("BUS_QUEUE_PREFIX", settings.queue_prefix)
        runner = CliRunner()

        def parked():
            out = runner.invoke(cli, ["dlq", "list", worker.name]).output
            return [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        rows = wait_until(parked, message="the poison message in the DLQ")
        assert [r["id"] for r in rows] == [poison["id"]]
        assert rows[0]["attempts"] == len(settings.retry_delays) + 1
        assert "cannot cope with poison" in rows[0]["error"]
        assert rt.db.processed_events.count_documents({"_id": {"$regex": poison["id"]}}) == 0

        # Fix the cause, then replay: the message goes back on the queue and is handled.
        sub.handlers["registry.structure.*"] = count_visit
        result = runner.invoke(cli, ["dlq", "replay", dlq])
        assert "replayed 1 of the 1 message(s) parked" in result.output, result.output
        wait_until(lambda: visits(rt.db, "bad") == 1, message="replayed message handled")
    assert parked() == []


def test_a_message_that_is_not_an_envelope_is_parked_without_retries(runtime, settings):
    rt = runtime("registry")
    sub = Subscription("registry", "test-poison", {"registry.#": count_visit})
    with Running(rt.db, settings, sub) as worker:
        with connect(settings) as conn:
            Producer(conn.default_channel, exchange=events_exchange(settings)).publish(
                b"{not json", routing_key="registry.structure.registered", content_type="application/json")
        with connect(settings) as conn:
            channel = conn.channel()
            message = wait_until(lambda: channel.basic_get(worker.topology.dlq.name, no_ack=True))
    assert message.headers["x-maillage-attempt"] == 1
    assert "not a valid event envelope" in message.headers["x-maillage-error"]


def test_a_projection_applies_an_event_only_if_its_sequence_is_newer(runtime):
    rt = runtime("registry")

    def project(envelope, tx):
        apply_if_newer(tx, "people", envelope["subject"], envelope, {"name": envelope["data"]["name"]})

    sub = Subscription("registry", "test-projection", {"registry.person.*": project})
    v2 = make_event("registry.person.updated.v1", {"name": "Camille B."}, subject="p1", sequence=2)
    v1 = make_event("registry.person.registered.v1", {"name": "Camille"}, subject="p1", sequence=1)
    run_handler(rt, sub, v2)
    run_handler(rt, sub, v1)  # arrives late: ignored
    assert rt.db.people.find_one({"_id": "p1"})["name"] == "Camille B."


def test_a_projection_stores_values_as_they_are_even_one_that_looks_like_a_field_path(runtime):
    rt = runtime("registry")

    def project(envelope, tx):
        apply_if_newer(tx, "people", envelope["subject"], envelope, envelope["data"])

    sub = Subscription("registry", "test-literal", {"registry.person.*": project})
    run_handler(rt, sub, make_event("registry.person.registered.v1", {"name": "$name", "tags": {"$in": [1]}, "x": None},
                                    subject="p9", sequence=1))
    assert rt.db.people.find_one({"_id": "p9"}, {"_id": 0}) == {"name": "$name", "tags": {"$in": [1]}, "x": None,
                                                                 "sequence": 1}


def queued_before_the_consumer_starts(db, settings, sub, envelopes):
    """Declared, filled, then consumed: the broker delivers them together (one prefetch window)."""
    worker = Running(db, settings, sub)
    for envelope in envelopes:
        publish(settings, envelope)
    return worker


def test_events_delivered_together_commit_in_fewer_transactions_each_once(runtime, settings):
    rt = runtime("registry")
    transactions = []

    def visit_noting_the_transaction(envelope, tx):
        transactions.append(tx)
        count_visit(envelope, tx)

    sub = Subscription("registry", "test-batch", {"registry.#": visit_noting_the_transaction})
    events = [make_event("registry.structure.updated.v1", {}, subject=f"s{n}") for n in range(8)]
    with queued_before_the_consumer_starts(rt.db, settings, sub, events):
        wait_until(lambda: rt.db.processed_events.count_documents({}) == 8)
    assert [visits(rt.db, f"s{n}") for n in range(8)] == [1] * 8
    assert len({id(tx) for tx in transactions}) < 8


def test_a_poison_event_among_events_delivered_together_goes_alone_to_the_dlq(runtime, settings):
    rt = runtime("registry")
    sub = Subscription("registry", "test-batch-poison", {"registry.structure.*": always_fail})
    poison = make_event("registry.structure.registered.v1", {"poison": True}, subject="bad")
    events = [make_event("registry.structure.updated.v1", {}, subject=f"good{n}") for n in range(4)]
    with queued_before_the_consumer_starts(rt.db, settings, sub, [*events[:2], poison, *events[2:]]) as worker:
        wait_until(lambda: all(visits(rt.db, f"good{n}") == 1 for n in range(4)), message="the good ones")
        with connect(settings) as conn:
            channel = conn.channel()
            parked = wait_until(lambda: channel.basic_get(worker.topology.dlq.name, no_ack=True), timeout=30)
    assert parked.properties["message_id"] == poison["id"]
    assert parked.headers["x-maillage-attempt"] == len(settings.retry_delays) + 1
    assert [visits(rt.db, f"good{n}") for n in range(4)] == [1] * 4  # the batch's rollback left no trace
    assert visits(rt.db, "bad") == 0


def test_a_redelivery_among_events_delivered_together_has_its_effect_once(runtime, settings):
    rt = runtime("registry")
    sub = Subscription("registry", "test-batch-dup", {"registry.#": count_visit})
    twice = make_event("registry.structure.updated.v1", {}, subject="twice")
    others = [make_event("registry.structure.updated.v1", {}, subject=f"o{n}") for n in range(3)]
    with queued_before_the_consumer_starts(rt.db, settings, sub, [others[0], twice, others[1], twice, others[2]]):
        wait_until(lambda: rt.db.processed_events.count_documents({}) == 4)
        wait_until(lambda: rt.db.visits.count_documents({}) == 4)
    assert visits(rt.db, "twice") == 1
    assert [visits(rt.db, f"o{n}") for n in range(3)] == [1, 1, 1]


def test_deferred_projection_writes_of_one_batch_keep_the_newest_and_are_seen_by_later_handlers(runtime, settings):
    rt = runtime("registry")
    seen = {}

    def project(envelope, tx):
        upsert_if_newer(tx, "people", envelope["subject"], envelope, {"name": envelope["data"]["name"]})

    def look(envelope, tx):
        seen[envelope["id"]] = tx.db.people.find_one({"_id": "p1"}, session=tx.session)["name"]

    sub = Subscription("registry", "test-deferred", {"registry.person.*": project, "registry.structure.*": look})
    events = [make_event("registry.person.registered.v1", {"name": "Camille"}, subject="p1", sequence=1),
              make_event("registry.person.updated.v1", {"name": "Camille B."}, subject="p1", sequence=3),
              make_event("registry.person.updated.v1", {"name": "Camille (en retard)"}, subject="p1", sequence=2),
              make_event("registry.structure.updated.v1", {}, subject="s1")]
    with queued_before_the_consumer_starts(rt.db, settings, sub, events):
        wait_until(lambda: rt.db.processed_events.count_documents({}) == 4)
    assert rt.db.people.find_one({"_id": "p1"}) == {"_id": "p1", "name": "Camille B.", "sequence": 3}
    assert seen == {events[3]["id"]: "Camille B."}


@single_upsert
def project_name(envelope, tx):
    upsert_if_newer(tx, "people", envelope["subject"], envelope, {"name": envelope["data"]["name"]})


def test_single_upsert_handlers_run_without_transaction_or_processed_record_and_stay_idempotent(runtime, settings):
    """Delivered together: their upserts in one bulk write, no processed record; the redelivery and the late
    event change nothing; the newest sequence wins."""
    rt = runtime("registry")
    sub = Subscription("registry", "test-single-upsert", {"registry.person.*": project_name})
    first = make_event("registry.person.registered.v1", {"name": "Camille"}, subject="p1", sequence=1)
    events = [first, make_event("registry.person.updated.v1", {"name": "Camille B."}, subject="p1", sequence=3),
              first, make_event("registry.person.updated.v1", {"name": "Camille (en retard)"}, subject="p1", sequence=2),
              make_event("registry.person.registered.v1", {"name": "Dominique"}, subject="p2", sequence=1)]
    with queued_before_the_consumer_starts(rt.db, settings, sub, events):
        wait_until(lambda: rt.db.people.count_documents({}) == 2)
        wait_until(lambda: rt.db.people.find_one({"_id": "p1"})["sequence"] == 3)
    assert rt.db.people.find_one({"_id": "p1"}) == {"_id": "p1", "name": "Camille B.", "sequence": 3}
    assert rt.db.people.find_one({"_id": "p2"}) == {"_id": "p2", "name": "Dominique", "sequence": 1}
    assert rt.db.processed_events.count_documents({}) == 0


def test_a_single_upsert_handler_alone_says_handled_then_duplicate(runtime):
    rt = runtime("registry")
    sub = Subscription("registry", "test-single-upsert-one", {"registry.person.*": project_name})
    envelope = make_event("registry.person.registered.v1", {"name": "Camille"}, subject="p3", sequence=2)
    assert run_handler(rt, sub, envelope) == "handled"
    assert run_handler(rt, sub, envelope) == "duplicate"
    older = make_event("registry.person.registered.v1", {"name": "Ancien"}, subject="p3", sequence=1)
    assert run_handler(rt, sub, older) == "duplicate"
    assert rt.db.people.find_one({"_id": "p3"})["name"] == "Camille"
    assert rt.db.processed_events.count_documents({}) == 0


def test_a_single_upsert_handler_that_emits_is_refused_and_parked(runtime, settings):
    """The mark is a promise (no emit): broken, the event is retried and parked, never half applied."""
    from services.registry.events import STRUCTURE_REGISTERED

    rt = runtime("registry")

    @single_upsert
    def emits(envelope, tx):
        project_name(envelope, tx)
        tx.emit(STRUCTURE_REGISTERED, subject="x", data={}, sequence=1, federation="apmsl")

    sub = Subscription("registry", "test-single-upsert-emits", {"registry.person.*": emits})
    envelope = make_event("registry.person.registered.v1", {"name": "Camille"}, subject="p4", sequence=1)
    with Running(rt.db, settings, sub) as worker:
        publish(settings, envelope)
        with connect(settings) as conn:
            channel = conn.channel()
            parked = wait_until(lambda: channel.basic_get(worker.topology.dlq.name, no_ack=True), timeout=30)
    assert parked.properties["message_id"] == envelope["id"]
    assert "may not emit" in parked.headers["x-maillage-error"]
    assert rt.db.people.count_documents({}) == 0 and rt.db.outbox.count_documents({}) == 0


def test_a_consumer_reconnects_after_the_broker_connection_drops(runtime, settings):
    from shared.testing.proxy import CuttableProxy

    rt = runtime("registry")
    port = int(settings.amqp_url.rsplit(":", 1)[1].split("/")[0])
    proxy = CuttableProxy("127.0.0.1", port)
    via_proxy = settings.replace(amqp_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}//")
    sub = Subscription("registry", "test-reconnect", {"registry.#": count_visit})
    try:
        with Running(rt.db, via_proxy, sub):
            publish(settings, make_event("registry.structure.updated.v1", {}, subject="before"))
            wait_until(lambda: visits(rt.db, "before") == 1)
            proxy.cut()
            publish(settings, make_event("registry.structure.updated.v1", {}, subject="during"))
            proxy.restore()
            wait_until(lambda: visits(rt.db, "during") == 1, timeout=30, message="handled after reconnect")
    finally:
        proxy.close()


def test_dlq_replay_replays_what_was_parked_when_it_started_once(runtime, settings, monkeypatch):
    """The handler still fails: replayed messages come back to the DLQ while the replay runs, and
    must not be replayed again (it used to loop, "replayed 4263" for 52 parked)."""
    rt = runtime("registry")
    sub = Subscription("registry", "test-replay-once", {"registry.structure.*": always_fail})
    poisons = [make_event("registry.structure.registered.v1", {"poison": True}, subject=f"bad{n}") for n in range(2)]
    attempts = len(settings.retry_delays) + 1
    monkeypatch.setenv("AMQP_URL", settings.amqp_url)
    monkeypatch.setenv("BUS_QUEUE_PREFIX", settings.queue_prefix)
    with Running(rt.db, settings, sub) as worker:
        for poison in poisons:
            publish(settings, poison)
        with connect(settings) as conn:
            channel = conn.channel()
            depth = lambda: channel.queue_declare(queue=worker.topology.dlq.name, passive=True).message_count  # noqa: E731
            wait_until(lambda: depth() == 2, message="both parked")
            result = CliRunner().invoke(cli, ["dlq", "replay", worker.name])
            assert result.exit_code == 0
            replayed = [line for line in result.output.splitlines() if line.startswith("replayed ")]
            assert len(replayed) == 1 and replayed[0].startswith("replayed 2 of the 2 message(s) parked"), result.output
            wait_until(lambda: depth() == 2, message="both parked again")
    from shared.metrics import EVENTS_FAILED
    failures = EVENTS_FAILED.labels(worker.name)._value.get()
    assert failures == 2 * attempts * 2  # two lives of `attempts` tries each, per message; no third life


def test_dlq_replay_of_an_unknown_queue_is_one_readable_line(settings, monkeypatch):
    monkeypatch.setenv("AMQP_URL", settings.amqp_url)
    result = CliRunner().invoke(cli, ["dlq", "replay", f"{settings.queue_prefix}nobody.nothing"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: no dead-letter queue '{settings.queue_prefix}nobody.nothing.dlq' on this broker"]


def test_a_write_conflict_past_the_time_limit_defers_the_event_without_counting_an_attempt(runtime, settings):
    """Another transaction holds the document (a killed worker's, say): the event waits aside."""
    rt = runtime("registry")
    rt.db.create_collection("visits")
    sub = Subscription("registry", "test-held", {"registry.#": count_visit})
    client = rt.db.client
    with client.start_session() as holder:
        holder.start_transaction()
        rt.db.visits.insert_one({"_id": "held", "count": 0}, session=holder)
        with Running(rt.db, settings, sub) as worker:
            publish(settings, make_event("registry.structure.updated.v1", {}, subject="held"))
            publish(settings, make_event("registry.structure.updated.v1", {}, subject="free"))
            wait_until(lambda: visits(rt.db, "free") == 1, timeout=20, message="the free event, not held up")
            from shared.metrics import EVENTS_DEFERRED
            wait_until(lambda: EVENTS_DEFERRED.labels(worker.name)._value.get() >= 1, timeout=20)
            holder.abort_transaction()
            wait_until(lambda: visits(rt.db, "held") == 1, timeout=30, message="the held event, once released")
    with connect(settings) as conn:
        assert conn.channel().queue_declare(queue=worker.topology.dlq.name, passive=True).message_count == 0


def test_a_transaction_that_ran_out_of_time_holds_nothing_afterwards(runtime, settings):
    """pymongo skips its abortTransaction once the time limit has passed; the server would keep the
    transaction, and the documents it wrote, for a minute (a redelivered event then waited on its own
    processed record). `atomic` ends it: another client writes the same document at once."""
    import time

    import pymongo
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError
    from shared.bus.outbox import atomic

    rt = runtime("registry")
    rt.db.visits.insert_one({"_id": "late", "count": 0})

    def slow(tx):
        tx.db.visits.update_one({"_id": "late"}, {"$inc": {"count": 1}}, session=tx.session)
        time.sleep(0.4)  # past the limit: the next statement and the abort are refused client-side
        tx.db.visits.update_one({"_id": "late"}, {"$inc": {"count": 1}}, session=tx.session)

    try:
        atomic(rt.db, "registry", slow, timeout=0.2)
    except PyMongoError as exc:
        assert exc.timeout
    else:
        raise AssertionError("the transaction should have run out of time")
    other = MongoClient(settings.mongo_url, tz_aware=True)  # its own sessions: no reuse of the abandoned one
    try:
        with pymongo.timeout(2), other.start_session() as session:
            session.with_transaction(lambda s: other[rt.db.name].visits.update_one(
                {"_id": "late"}, {"$inc": {"count": 10}}, session=s))
    finally:
        other.close()
    assert rt.db.visits.find_one({"_id": "late"})["count"] == 10
