"""Group commit of registrations (`batching`, `registrations._register_batch`): registrations of one event
arriving together in one process are drawn together and land in one transaction — with exact capacity,
ranks following tickets, each caller its own answer, and a process killed between a batch's draw and its
commit repaired like a single one."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.events import batching, meetings, registrations, repair, tickets
from services.events.seats import COUNTERS, recount
from services.events.store import PEOPLE, REGISTRATIONS, SEATS, TICKETS
from shared.errors import DomainError
from shared.http.auth import Principal
from shared.logs import correlation_id_var
from shared.testing import OutboxCapture
from tests.events.test_seat_invariants import check_invariants, check_ranks_follow_tickets

ROOT = Path(__file__).resolve().parents[2]
STAFF = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))


def _people(db, prefix, count, federation="apmsl"):
    ids = [f"{prefix}-{i:03d}" for i in range(count)]
    db[PEOPLE].insert_many([{"_id": pid, "federation": federation, "first_name": "P", "last_name": pid,
                             "email": f"{pid}@demo.maillage.invalid", "may_email": True, "roles": [], "sequence": 1}
                            for pid in ids])
    return ids


def _member(pid):
    return Principal(pid, "apmsl", frozenset({"member"}))


class _HeldLane:
    """Keeps an event's lane busy (a leader that waits) while requests queue up behind it, in a known
    order; `release()` lets the next leader take them all as one batch."""

    def __init__(self, db, event_id):
        self.key = (id(db.client), db.name, event_id)
        self.go = threading.Event()
        self.thread = threading.Thread(target=batching.submit,
                                       args=(self.key, batching.Job(None), lambda jobs: self.go.wait(30) and None))
        self.thread.start()
        self._wait(lambda lane: lane.busy)

    def queued(self) -> int:
        lane = batching._lanes.get(self.key)
        return len(lane.queue) if lane else 0

    def _wait(self, condition, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lane = batching._lanes.get(self.key)
            if lane is not None and condition(lane):
                return
            time.sleep(0.002)
        raise AssertionError("the lane never got there")

    def enqueue(self, fn, *args) -> threading.Thread:
        """Start `fn(*args)` in a thread and wait until its request waits in the lane."""
        before = self.queued()
        thread = threading.Thread(target=fn, args=args)
        thread.start()
        self._wait(lambda lane: len(lane.queue) > before)
        return thread

    def release(self):
        self.go.set()
        self.thread.join(30)


def test_concurrent_registrations_from_threads_of_one_process_land_in_fewer_transactions(
        events_rt, published, monkeypatch):
    db = events_rt.db
    event = published(capacity=20, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, "batch", 90)
    outbox = OutboxCapture(events_rt)
    transactions = []
    real_atomic = registrations.atomic
    monkeypatch.setattr(registrations, "atomic",
                        lambda *a, **k: transactions.append(1) or real_atomic(*a, **k))
    before = dict(batching.stats)

    def register(pid):
        correlation_id_var.set(f"request-{pid}")  # each request's id, as the HTTP layer sets it
        return registrations.register(db, _member(pid), event["id"], {})

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(register, ids))

    assert len(transactions) < len(ids)  # group commit: fewer transactions than registrations
    assert batching.stats["largest"] > 1 and batching.stats["jobs"] - before["jobs"] >= len(ids)
    statuses = [r["status"] for r in results]
    assert (statuses.count("registered"), statuses.count("waitlisted")) == (20, 70)
    regs = list(db[REGISTRATIONS].find({"event_id": event["id"]}))
    assert sorted(r["ticket"] for r in regs) == list(range(1, 91))
    assert sorted(r["waitlist_position"] for r in regs if r["status"] == "waitlisted") == list(range(1, 71))
    check_ranks_follow_tickets(regs)
    check_invariants(db, event["id"])
    # arrival times strictly increase with the tickets
    by_ticket = sorted(regs, key=lambda r: r["ticket"])
    assert all(a["created_at"] < b["created_at"] for a, b in zip(by_ticket, by_ticket[1:]))
    # one event per registration, each carrying its own request's id and its registration as before
    arrived = outbox.of("events.registration.confirmed.v1") + outbox.of("events.registration.waitlisted.v1")
    assert sorted(e["data"]["id"] for e in arrived) == sorted(r["_id"] for r in results)
    assert {e["data"]["id"]: e["correlationid"] for e in arrived} == {
        r["_id"]: f"request-{r['person_id']}" for r in results}
    assert {e["data"]["id"]: e["data"]["waitlist_position"] for e in arrived} == {
        r["_id"]: r["waitlist_position"] for r in results}


def test_a_batch_is_one_draw_and_one_transaction_in_arrival_order(events_rt, published, monkeypatch):
    db = events_rt.db
    event = published(capacity=3, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, "order", 6)
    transactions = []
    real_atomic = registrations.atomic
    monkeypatch.setattr(registrations, "atomic",
                        lambda *a, **k: transactions.append(1) or real_atomic(*a, **k))
    answers = {}

    def register(pid):
        answers[pid] = registrations.register(db, _member(pid), event["id"], {})

    held = _HeldLane(db, event["id"])
    threads = [held.enqueue(register, pid) for pid in ids]
    held.release()
    for t in threads:
        t.join(30)
    assert len(transactions) == 1
    assert [answers[pid]["ticket"] for pid in ids] == [1, 2, 3, 4, 5, 6]
    assert [answers[pid]["status"] for pid in ids] == ["registered"] * 3 + ["waitlisted"] * 3
    assert [answers[pid]["waitlist_position"] for pid in ids[3:]] == [1, 2, 3]
    check_invariants(db, event["id"])


# Who asks, in a batch: known people of the federation (0-5), someone the registry does not know (6), a
# person of another federation (7).
KNOWN, UNKNOWN, ELSEWHERE = 6, 6, 7
REQUESTS = st.lists(st.integers(0, 7), min_size=2, max_size=12)


@given(requests=REQUESTS, before=st.lists(st.sampled_from(["none", "registered", "cancelled"]),
                                           min_size=KNOWN, max_size=KNOWN),
       capacity=st.integers(1, 4))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_each_caller_of_a_mixed_batch_gets_its_own_answer(events_rt, body, requests, before, capacity):
    db = events_rt.db
    if db[PEOPLE].count_documents({"_id": "mix-000"}) == 0:
        _people(db, "mix", KNOWN)
        _people(db, "mix-elsewhere", 1, federation="femasaura")
    people = [f"mix-{i:03d}" for i in range(KNOWN)] + ["mix-unknown", "mix-elsewhere-000"]
    from services.events.schemas import EventCreate
    event = meetings.create_event(db, STAFF, {**EventCreate().load(body(local_group_id=None, kind="seminar")),
                                              "capacity": capacity})
    meetings.publish_event(db, STAFF, event["_id"])
    for i, state in enumerate(before):  # what each known person did before the batch
        if state != "none":
            mine = registrations.register(db, _member(people[i]), event["_id"], {})
            if state == "cancelled":
                registrations.cancel_registration(db, STAFF, event["_id"], mine["_id"])
    drawn_before = db[SEATS].find_one({"_id": event["_id"]})["tickets"]

    answers: list = [None] * len(requests)

    def register(n, pid):
        try:
            answers[n] = registrations.register(db, _member(pid), event["_id"], {})
        except DomainError as exc:
            answers[n] = int(exc.status)

    held = _HeldLane(db, event["_id"])
    threads = [held.enqueue(register, n, people[who]) for n, who in enumerate(requests)]
    held.release()
    for t in threads:
        t.join(60)

    seen: dict[int, int] = {}
    new_tickets = []
    for n, who in enumerate(requests):
        answer = answers[n]
        if who in (UNKNOWN, ELSEWHERE):
            assert answer == 403, (n, who, answer)
            continue
        first = who not in seen
        seen[who] = seen.get(who, 0) + 1
        if before[who] == "registered":
            assert answer == 409, (n, who, answer)
        elif before[who] == "none":  # a first registration: the first request wins, the others are told
            if first:
                assert isinstance(answer, dict) and answer["status"] in ("registered", "waitlisted"), answer
                assert answer["person_id"] == people[who]
                new_tickets.append(answer["ticket"])
            else:
                assert answer == 409, (n, who, answer)
    for who in {w for w in requests if w < KNOWN and before[w] == "cancelled"}:
        # registering again after a cancellation (one by one): exactly one of that person's requests wins
        mine = [answers[n] for n, w in enumerate(requests) if w == who]
        assert sum(isinstance(a, dict) for a in mine) == 1 and all(a == 409 for a in mine if not isinstance(a, dict))
    # the new ones drew their tickets in their order of arrival, right after what was drawn before
    assert new_tickets == sorted(new_tickets)
    assert new_tickets == list(range(drawn_before + 1, drawn_before + 1 + len(new_tickets)))
    for n, answer in enumerate(answers):
        if isinstance(answer, dict):
            stored = db[REGISTRATIONS].find_one({"_id": answer["_id"]})
            assert stored["ticket"] == answer["ticket"]
            # as answered — or promoted since, when a place given back by a racing re-registration freed a seat
            assert stored["status"] == answer["status"] or (answer["status"], stored["status"]) == (
                "waitlisted", "registered") and stored["history"][-1]["status"] == "registered"
    check_invariants(db, event["_id"])


# A process whose batch leader is killed (SIGKILL) right after the batch's draw, before its transaction:
# the lane is held while the batch's requests queue up, then released.
CHILD = textwrap.dedent("""
    import os, signal, sys, threading, time
    from services.events import batching, registrations
    from shared.http.auth import Principal
    from shared.mongo import get_client

    url, database, event_id, *person_ids = sys.argv[1:]
    real_draw_many = registrations.draw_many

    def killed_after_the_draw(db, event, count):
        drawn = real_draw_many(db, event, count)
        print(f"drew {count}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    registrations.draw_many = killed_after_the_draw
    db = get_client(url)[database]
    key = (id(db.client), db.name, event_id)
    go = threading.Event()
    threading.Thread(target=batching.submit, args=(key, batching.Job(None), lambda jobs: go.wait(30) and None),
                     daemon=True).start()
    while not (key in batching._lanes and batching._lanes[key].busy):
        time.sleep(0.002)
    for pid in person_ids:
        threading.Thread(target=registrations.register,
                         args=(db, Principal(pid, "apmsl", frozenset({"member"})), event_id, {}), daemon=True).start()
        while len(batching._lanes[key].queue) < person_ids.index(pid) + 1:
            time.sleep(0.002)
    go.set()
    time.sleep(30)
""")


def _url(db) -> str:
    host, port = db.client.address
    return f"mongodb://{host}:{port}/?retryWrites=false&directConnection=true"


def test_a_process_killed_between_a_batch_draw_and_its_commit_is_repaired(events_rt, published):
    db = events_rt.db
    event = published(capacity=3, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, "killbatch", 8)
    registrations.register(db, _member(ids[0]), event["id"], {})
    child = subprocess.Popen([sys.executable, "-c", CHILD, _url(db), db.name, event["id"], *ids[1:6]], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "MAILLAGE_ENV": "test"})
    out, err = child.communicate(timeout=90)
    assert child.returncode == -signal.SIGKILL, err
    assert "drew 5" in out  # the five registrations were drawn as one batch

    seats = db[SEATS].find_one({"_id": event["id"]})
    assert (seats["taken"], seats["waitlisted"], seats["tickets"]) == (3, 3, 6)  # 2 seats + 3 places, never written
    assert recount(db, event["id"])["taken"] == 1
    assert tickets.unrecorded(db, event["id"], seats["tickets"]) == {2, 3, 4, 5, 6}
    late = registrations.register(db, _member(ids[6]), event["id"], {})  # the dead batch's seats look taken
    assert late["status"] == "waitlisted"

    assert repair.repair_abandoned_draws(db, abandoned_after=0) == 1
    seats = db[SEATS].find_one({"_id": event["id"]})
    assert {k: seats.get(k, 0) for k in COUNTERS} == recount(db, event["id"])
    assert db[REGISTRATIONS].find_one({"_id": late["_id"]})["status"] == "registered"  # a free seat went to them
    outcomes = {d["ticket"]: d["outcome"] for d in db[TICKETS].find({"event_id": event["id"]})}
    assert outcomes == {1: "landed", **{t: "abandoned" for t in range(2, 7)}, 7: "landed"}
    check_invariants(db, event["id"])

    # the people of the dead batch register again, together, in arrival order
    with ThreadPoolExecutor(max_workers=5) as pool:
        again = list(pool.map(lambda pid: registrations.register(db, _member(pid), event["id"], {}), ids[1:6]))
    assert sorted(r["status"] for r in again).count("registered") == 1
    check_invariants(db, event["id"])
    assert repair.repair_abandoned_draws(db, abandoned_after=0) == 0
    assert json.dumps(outcomes)  # recorded outcomes are plain data


def test_a_seat_freed_while_a_waitlisted_registration_lands_goes_to_it_whatever_the_order(events_rt, body,
                                                                                             monkeypatch):
    """The interleaving the mixed-batch property test once hit under load: a cancellation frees the only
    seat while a waitlisted registration is in flight (drawn, not written), so it leaves the promotion to
    that landing; the landing commits and looks at the seats before the cancellation commits, so it sees
    no free seat. Without a look after the cancellation's commit, the seat stayed free with someone
    waiting."""
    db = events_rt.db
    _people(db, "race", 2)
    from services.events.schemas import EventCreate
    event = meetings.create_event(db, STAFF, {**EventCreate().load(body(local_group_id=None, kind="seminar")),
                                              "capacity": 1})
    meetings.publish_event(db, STAFF, event["_id"])
    seated = registrations.register(db, _member("race-000"), event["_id"], {}, batch_max=0)
    drawn, cancelling, landed = threading.Event(), threading.Event(), threading.Event()
    real_draw, real_promote = registrations.draw, registrations.promote_waitlisted

    def draw_then_wait(db_, event_):
        place = real_draw(db_, event_)
        drawn.set()
        assert cancelling.wait(20)  # the cancellation's transaction has looked at the waiting list
        return place

    def promote_then_wait(tx, event_, seats):
        after = real_promote(tx, event_, seats)  # nobody visible to promote: the one in flight is not written
        cancelling.set()
        assert landed.wait(20)  # the waitlisted registration commits and looks at the seats meanwhile
        return after

    monkeypatch.setattr(registrations, "draw", draw_then_wait)
    monkeypatch.setattr(registrations, "promote_waitlisted", promote_then_wait)
    answers = {}
    late = threading.Thread(target=lambda: answers.update(
        waiting=registrations.register(db, _member("race-001"), event["_id"], {}, batch_max=0)))
    late.start()
    assert drawn.wait(20)
    cancel = threading.Thread(target=registrations.cancel_registration, args=(db, STAFF, event["_id"], seated["_id"]))
    cancel.start()
    late.join(30)
    landed.set()
    cancel.join(30)

    assert answers["waiting"]["status"] == "waitlisted"
    assert db[REGISTRATIONS].find_one({"_id": answers["waiting"]["_id"]})["status"] == "registered"
    assert db[SEATS].find_one({"_id": event["_id"]})["taken"] == 1
    check_invariants(db, event["_id"])
