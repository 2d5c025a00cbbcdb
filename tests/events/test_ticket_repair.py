"""A process killed (kill -9) between its draw and its commit: its ticket has no record and a counter is one
too high; the repair declares the ticket abandoned and recounts, so counters equal a recount, the capacity
holds and nobody waits while a seat is free. A process merely paused past the repair cannot commit its
abandoned draw: it draws again."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from services.events import registrations, repair, tickets
from services.events.seats import COUNTERS, recount
from services.events.store import PEOPLE, REGISTRATIONS, SEATS, TICKETS
from shared.http.auth import Principal
from tests.events.test_seat_invariants import check_invariants

ROOT = Path(__file__).resolve().parents[2]
STAFF = Principal("staff-apmsl", "apmsl", frozenset({"admin"}))

# A real registration in a process of its own, which stops itself with `signal` (SIGKILL: dies; SIGSTOP:
# freezes until the test continues it) right after its first draw, before its transaction.
CHILD = textwrap.dedent("""
    import json, os, signal, sys
    from services.events import registrations
    from shared.http.auth import Principal
    from shared.mongo import get_client

    url, database, event_id, person_id, stop = sys.argv[1:6]
    real_atomic, stops = registrations.atomic, [getattr(signal, stop)]

    def stopped_before_commit(db, source, work, **kw):
        if stops:  # the first time only (a registration that resumes may draw again)
            os.kill(os.getpid(), stops.pop())
        return real_atomic(db, source, work, **kw)

    registrations.atomic = stopped_before_commit
    db = get_client(url)[database]
    done = registrations.register(db, Principal(person_id, "apmsl", frozenset({"member"})), event_id, {})
    print(json.dumps({"status": done["status"], "ticket": done["ticket"]}), flush=True)
""")


def _people(db, count):
    ids = [f"kill-{i:02d}" for i in range(count)]
    db[PEOPLE].insert_many([{"_id": pid, "federation": "apmsl", "first_name": "P", "last_name": pid,
                             "email": f"{pid}@demo.maillage.invalid", "may_email": True, "roles": [], "sequence": 1}
                            for pid in ids])
    return ids


def _child(db, event_id, person_id, stop: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, _url(db), db.name, event_id, person_id, stop], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "MAILLAGE_ENV": "test"})


def _url(db) -> str:
    host, port = db.client.address
    return f"mongodb://{host}:{port}/?retryWrites=false&directConnection=true"


def _killed_after_its_draw(db, event_id, person_id) -> None:
    child = _child(db, event_id, person_id, "SIGKILL")
    _, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err


def _register(db, pid, event_id):
    return registrations.register(db, Principal(pid, "apmsl", frozenset({"member"})), event_id, {})


def _counters(db, event_id) -> dict:
    seats = db[SEATS].find_one({"_id": event_id})
    return {k: seats.get(k, 0) for k in COUNTERS}


def test_a_registration_killed_after_its_draw_is_repaired_by_the_job(events_rt, published):
    db = events_rt.db
    event = published(capacity=3, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, 6)
    _register(db, ids[0], event["id"])
    _register(db, ids[1], event["id"])
    _killed_after_its_draw(db, event["id"], ids[2])   # drew the last seat, died
    _killed_after_its_draw(db, event["id"], ids[3])   # drew waiting-list position 1, died

    assert _counters(db, event["id"]) != recount(db, event["id"])
    assert tickets.unrecorded(db, event["id"], db[SEATS].find_one({"_id": event["id"]})["tickets"]) == {3, 4}
    late = _register(db, ids[4], event["id"])  # the dead draw's seat looks taken: the next one waits
    assert late["status"] == "waitlisted"

    # Seen without a record, but not long enough yet: left alone.
    assert repair.repair_abandoned_draws(db, abandoned_after=3600) == 0
    assert repair.repair_abandoned_draws(db, abandoned_after=0) == 1

    assert _counters(db, event["id"]) == recount(db, event["id"])
    assert db[REGISTRATIONS].find_one({"_id": late["_id"]})["status"] == "registered"  # the free seat went to them
    outcomes = {d["ticket"]: d["outcome"] for d in db[TICKETS].find({"event_id": event["id"]})}
    assert outcomes == {1: "landed", 2: "landed", 3: "abandoned", 4: "abandoned", 5: "landed"}
    check_invariants(db, event["id"])

    # Registrations go on as before: the dead people may register again, in arrival order.
    again = [_register(db, pid, event["id"]) for pid in (ids[2], ids[3], ids[5])]
    assert [r["status"] for r in again] == ["waitlisted"] * 3
    assert [r["waitlist_position"] for r in again] == sorted(r["waitlist_position"] for r in again)
    check_invariants(db, event["id"])
    assert repair.repair_abandoned_draws(db, abandoned_after=0) == 0  # nothing left to repair


def test_an_event_change_repairs_a_killed_draw_instead_of_waiting_for_it(events_rt, published):
    from services.events import meetings

    db = events_rt.db
    event = published(capacity=2, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, 4)
    _register(db, ids[0], event["id"])
    _killed_after_its_draw(db, event["id"], ids[1])
    waiting = _register(db, ids[2], event["id"])
    assert waiting["status"] == "waitlisted"

    current = db.events.find_one({"_id": event["id"]})
    meetings.update_event(db, STAFF, event["id"], {"capacity": 3}, current["version"])

    assert _counters(db, event["id"]) == recount(db, event["id"])
    assert db[REGISTRATIONS].find_one({"_id": waiting["_id"]})["status"] == "registered"
    check_invariants(db, event["id"])


def test_a_paused_registration_whose_draw_was_declared_abandoned_draws_again_when_it_resumes(events_rt, published):
    db = events_rt.db
    event = published(capacity=2, local_group_id=None, kind="regional_day", title="Journée régionale")
    ids = _people(db, 3)
    _register(db, ids[0], event["id"])
    child = _child(db, event["id"], ids[1], "SIGSTOP")
    try:
        _wait_until_stopped(child.pid)
        assert repair.repair_abandoned_draws(db, abandoned_after=0) == 1  # its ticket (2) is declared abandoned
        assert _counters(db, event["id"])["taken"] == 1
        os.kill(child.pid, signal.SIGCONT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    landed = json.loads(out)
    assert landed == {"status": "registered", "ticket": 3}  # its late commit was refused: it drew again
    outcomes = {d["ticket"]: d["outcome"] for d in db[TICKETS].find({"event_id": event["id"]})}
    assert outcomes == {1: "landed", 2: "abandoned", 3: "landed"}
    assert _counters(db, event["id"]) == recount(db, event["id"]) == {**recount(db, event["id"]), "taken": 2}
    check_invariants(db, event["id"])


def _wait_until_stopped(pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        time.sleep(0.05)
    raise AssertionError("the registration never reached its draw")
