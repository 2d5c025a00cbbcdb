"""Capacity is never exceeded under a burst of concurrent registrations; promotions follow the list."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.events import registrations
from services.events.store import PEOPLE, REGISTRATIONS, SEATS
from shared.config import Settings
from shared.http.auth import Principal
from shared.testing import OutboxCapture

BURST, SEATS_COUNT = 500, 100


def _people(db, count):
    ids = [f"burst-{i:03d}" for i in range(count)]
    db[PEOPLE].insert_many([{"_id": pid, "federation": "apmsl", "first_name": "P", "last_name": pid,
                             "email": f"{pid}@demo.maillage.invalid", "may_email": True, "roles": [], "sequence": 1}
                            for pid in ids])
    return ids


# Group commit's gather window off, and at its default (EVENTS_REGISTRATION_GATHER_MS).
GATHER = pytest.mark.parametrize("gather", [0.0, Settings().registration_gather_ms / 1000], ids=["no-gather", "gather"])


@GATHER
def test_500_concurrent_registrations_on_100_seats_give_100_seats_and_400_waitlisted_then_promote_in_order(
        events_rt, published, gather):
    db = events_rt.db
    event = published(capacity=SEATS_COUNT, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, BURST)
    outbox = OutboxCapture(events_rt)

    def register(pid):
        return registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), event["id"], {},
                                      gather_seconds=gather)

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(register, ids))

    statuses = [r["status"] for r in results]
    assert statuses.count("registered") == SEATS_COUNT
    assert statuses.count("waitlisted") == BURST - SEATS_COUNT
    assert db[REGISTRATIONS].count_documents({"event_id": event["id"], "status": "registered"}) == SEATS_COUNT
    seats = db[SEATS].find_one({"_id": event["id"]})
    assert (seats["taken"], seats["waitlisted"]) == (SEATS_COUNT, BURST - SEATS_COUNT)
    positions = sorted(r["waitlist_position"] for r in results if r["status"] == "waitlisted")
    assert positions == list(range(1, BURST - SEATS_COUNT + 1))  # one place each, no gap, no duplicate
    assert len(outbox.of("events.registration.confirmed.v1")) == SEATS_COUNT
    assert len(outbox.of("events.registration.waitlisted.v1")) == BURST - SEATS_COUNT

    # Seats free one after the other: the waiting list is served in its order…
    waitlist = sorted((r for r in results if r["status"] == "waitlisted"), key=lambda r: r["waitlist_position"])
    seated = [r for r in results if r["status"] == "registered"]
    staff = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))
    for n, registration in enumerate(seated[:5]):
        registrations.cancel_registration(db, staff, event["id"], registration["_id"])
        promoted = outbox.of("events.registration.promoted.v1")
        assert [e["data"]["id"] for e in promoted] == [r["_id"] for r in waitlist[:n + 1]]
    # …and when several free at once, the next ones in line get them.
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda r: registrations.cancel_registration(db, staff, event["id"], r["_id"]), seated[5:15]))
    promoted_ids = {e["data"]["id"] for e in outbox.of("events.registration.promoted.v1")}
    assert promoted_ids == {r["_id"] for r in waitlist[:15]}
    assert db[REGISTRATIONS].count_documents({"event_id": event["id"], "status": "registered"}) == SEATS_COUNT
    seats = db[SEATS].find_one({"_id": event["id"]})
    assert (seats["taken"], seats["waitlisted"]) == (SEATS_COUNT, BURST - SEATS_COUNT - 15)
    next_in_line = db[REGISTRATIONS].find({"event_id": event["id"], "status": "waitlisted"}).sort(
        "waitlist_position", 1).limit(1)[0]
    assert next_in_line["_id"] == waitlist[15]["_id"]


def test_registrations_racing_a_cancellation_are_either_refused_or_among_the_people_notified(
        events_rt, published):
    import threading

    from services.events import meetings
    from shared.errors import DomainError

    db = events_rt.db
    event = published(capacity=30)
    ids = _people(db, 60)
    outbox = OutboxCapture(events_rt)
    staff = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))
    accepted, refused = [], []
    start = threading.Barrier(9)

    def register(chunk):
        start.wait()
        for pid in chunk:
            try:
                accepted.append(registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})),
                                                       event["id"], {})["person_id"])
            except DomainError:
                refused.append(pid)

    def cancel():
        start.wait()
        meetings.cancel_event(db, staff, event["id"], "salle indisponible")

    threads = [threading.Thread(target=register, args=(ids[i::8],)) for i in range(8)]
    threads.append(threading.Thread(target=cancel))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [cancelled] = outbox.of("events.event.cancelled.v1")
    notified = {r["person_id"] for r in cancelled["data"]["recipients"]}
    assert notified == set(accepted)
    assert len(accepted) + len(refused) == 60


def test_the_same_person_registering_twice_at_once_gets_one_registration(events_rt, published):
    from unittest import mock

    from shared.errors import DomainError

    db = events_rt.db
    event = published(capacity=5)
    [pid] = _people(db, 1)
    principal = Principal(pid, "apmsl", frozenset({"member"}))
    outcomes = []

    def register():
        try:
            outcomes.append(registrations.register(db, principal, event["id"], {})["status"])
        except DomainError as exc:
            outcomes.append(int(exc.status))

    # Both calls miss the other's registration in their pre-check, as when they really race.
    real_find_one = db[REGISTRATIONS].find_one.__func__
    with mock.patch.object(type(db[REGISTRATIONS]), "find_one",
                           lambda self, flt=None, *a, **k: None if flt and "dedup_key" in flt and not k.get("session")
                           else real_find_one(self, flt, *a, **k)):
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda _: register(), range(2)))
    assert sorted(map(str, outcomes)) == ["409", "registered"]
    assert db[REGISTRATIONS].count_documents({"event_id": event["id"]}) == 1
    assert db[SEATS].find_one({"_id": event["id"]})["taken"] == 1


def test_a_burst_over_http_fills_exactly_the_seats(client, events_rt, published, settings):
    """The same through the whole HTTP stack (tokens, validation, problem+json), 16 clients at once."""
    import threading

    from shared.http.auth import issue_token

    db = events_rt.db
    event = published(capacity=50, local_group_id=None, kind="seminar", title="Séminaire départemental")
    ids = _people(db, 200)
    local = threading.local()

    def register(pid):
        if not hasattr(local, "http"):
            local.http = client.app.test_client()
        token = issue_token(settings, sub=pid, federation="apmsl", roles=["coordinator"])
        r = local.http.post(f"/events/v1/events/{event['id']}/registrations", json={},
                            headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.json
        return r.json["status"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(register, ids))
    assert (statuses.count("registered"), statuses.count("waitlisted")) == (50, 150)
    seats = client.as_user("apmsl", ["admin"]).get(f"/events/v1/events/{event['id']}").json["seats"]
    assert seats == {"capacity": 50, "taken": 50, "available": 0, "waitlisted": 150, "awaiting": 0}


@GATHER
def test_a_burst_raced_by_cancellations_keeps_counters_capacity_and_arrival_order(events_rt, published, gather):
    """Registrations land while seat holders and waiting people cancel: a seat freed while someone is still
    in flight goes, once everyone has landed, to the lowest ticket — counters equal a recount, the
    capacity holds, nobody waits while a seat is free, ranks follow tickets."""
    import random
    import threading

    from services.events.seats import COUNTERS, recount
    from tests.events.test_seat_invariants import check_ranks_follow_tickets

    db = events_rt.db
    event = published(capacity=40, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, 240)
    staff = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))
    landed: list[dict] = []
    lock = threading.Lock()

    def register(pid):
        registration = registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), event["id"], {},
                                              gather_seconds=gather)
        with lock:
            landed.append(registration)

    def cancel_some():
        rng = random.Random(12)
        for _ in range(30):
            with lock:
                choice = rng.choice(landed) if landed else None
            if choice is not None:
                try:
                    registrations.cancel_registration(db, staff, event["id"], choice["_id"])
                except Exception:  # noqa: BLE001 - already cancelled: refused
                    pass

    with ThreadPoolExecutor(max_workers=24) as pool:
        futures = [pool.submit(register, pid) for pid in ids]
        cancellers = [pool.submit(cancel_some) for _ in range(2)]
        for f in futures + cancellers:
            f.result()

    regs = list(db[REGISTRATIONS].find({"event_id": event["id"]}))
    seats = db[SEATS].find_one({"_id": event["id"]})
    assert {k: seats.get(k, 0) for k in COUNTERS} == recount(db, event["id"])
    assert seats["taken"] == 40  # more people than seats were left: every seat is held, none twice
    check_ranks_follow_tickets(regs)
    assert sorted(r["ticket"] for r in regs) == list(range(1, 241))  # one ticket each, in arrival order
