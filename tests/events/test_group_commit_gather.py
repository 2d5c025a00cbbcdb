"""`batching.submit`'s gather window, as pure thread logic (no store): while a batch of a lane is being
written, the next leader waits for more jobs to join it, in their order of arrival; with nothing being
written, nobody waits."""
from __future__ import annotations

import threading
import time
import uuid

from services.events import batching

LONG = 30.0  # a gather window no test may sit out: reaching it means the window did not end as it should


class Lane:
    """One lane's key, the batches its leaders took (by job payload), and a first batch whose transaction
    (`then`) stays open until `release()`."""

    def __init__(self, max_batch: int = 50, gather: float = LONG):
        self.key = ("gather-test", uuid.uuid4().hex)
        self.max_batch, self.gather = max_batch, gather
        self.batches: list[list[str]] = []
        self.writing = threading.Event()
        self._release = threading.Event()
        self.threads: list[threading.Thread] = []

    def _lead(self, jobs):
        self.batches.append([job.payload for job in jobs])
        for job in jobs:
            job.answer(job.payload)
        if len(self.batches) > 1:
            return None

        def transaction():
            self.writing.set()
            self._release.wait(LONG)
        return transaction

    def submit(self, name: str) -> None:
        thread = threading.Thread(target=batching.submit, args=(
            self.key, batching.Job(name), self._lead, self.max_batch, self.gather))
        thread.start()
        self.threads.append(thread)

    def queued(self) -> int:
        lane = batching._lanes.get(self.key)
        with lane.lock:
            return len(lane.queue)

    def release(self) -> None:
        self._release.set()

    def join(self) -> bool:
        for thread in self.threads:
            thread.join(10)
        return not any(thread.is_alive() for thread in self.threads)


def _until(predicate) -> None:
    deadline = time.monotonic() + 10
    while not predicate():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_while_a_batch_is_written_the_next_waits_for_more_and_takes_them_in_arrival_order():
    lane = Lane(gather=0.3)
    lane.submit("first")
    assert lane.writing.wait(10)
    for n, name in enumerate(["b", "c", "d"]):
        lane.submit(name)
        _until(lambda: lane.queued() == n + 1)  # queued behind the gathering leader, in this order
    _until(lambda: len(lane.batches) == 2)  # the window ended with the transaction still open
    lane.release()
    assert lane.join()
    assert lane.batches == [["first"], ["b", "c", "d"]]


def test_a_full_batch_ends_the_window_and_so_does_the_end_of_the_write():
    lane = Lane(max_batch=3)
    lane.submit("first")
    assert lane.writing.wait(10)
    for name in ["b", "c", "d"]:
        lane.submit(name)
    _until(lambda: len(lane.batches) == 2)  # full: taken without sitting out the 30 s window
    lane.submit("e")
    _until(lambda: lane.queued() == 1)  # gathering: the first batch is still being written
    lane.release()
    _until(lambda: len(lane.batches) == 3)  # that write ended: no reason to wait longer
    assert lane.join()
    assert lane.batches == [["first"], ["b", "c", "d"], ["e"]]


def test_nobody_waits_when_no_batch_is_being_written():
    lane = Lane()
    lane.release()  # the first batch's transaction ends at once
    lane.submit("alone")
    assert lane.join()
    lane.submit("later")  # nothing being written: led at once, not after a 30 s window
    assert lane.join()
    assert lane.batches == [["alone"], ["later"]]


def test_many_threads_on_one_lane_each_get_their_own_answer_from_exactly_one_batch():
    """Each waiting thread is woken on its own condition (as the next leader, or as a member of a batch that
    was written): none is left waiting, and each job lands in exactly one batch and gets its own answer."""
    key = ("stress-test", uuid.uuid4().hex)
    batches: list[list[int]] = []
    outcomes: dict[int, object] = {}

    def lead(jobs):
        batches.append([job.payload for job in jobs])
        for job in jobs:
            job.answer(job.payload * 10)
        return (lambda: time.sleep(0.002)) if len(batches) % 2 else None  # some batches write after the lane

    def one(n):
        outcomes[n] = batching.submit(key, batching.Job(n), lead, 7, 0.001).result

    threads = [threading.Thread(target=one, args=(n,)) for n in range(300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads)
    assert outcomes == {n: n * 10 for n in range(300)}
    assert sorted(n for batch in batches for n in batch) == list(range(300))
    assert all(len(batch) <= 7 for batch in batches)
