"""Group commit within one api process: requests of the same kind and key (the registrations of one event)
that arrive while a batch of them is being written queue up, and the next leader takes them all at once.

    outcome = batching.submit(key, job, lead)

The calling thread puts `job` in the key's queue. While no batch of that key is in flight, the first
waiting thread becomes the leader: it takes up to `max_batch` jobs in their order of arrival and calls
`lead(jobs)`, which must give each job its `result` or its `error` (or leave both unset: the job's own
thread then takes today's one-by-one path). What must be in order (the draw) is done in `lead`; what may
overlap with the next batch (the transaction) is returned by it and runs after the lane is freed.
Meanwhile each other thread waits on its own job's condition: a freed lane wakes only the next leader (the
first job still queued), a written batch only its members; each returns as soon as its job is done. With
one request at a time, every batch has one job.

The bound is the caller's (registrations: `Settings.registration_batch_max`, `EVENTS_REGISTRATION_BATCH_MAX`,
0 turning group commit off).

While an earlier batch of the lane is still being written, the next leader first lets more requests queue,
until that write ends, the batch is full or `gather` seconds passed (registrations:
`EVENTS_REGISTRATION_GATHER_MS`): in a burst they would wait for the store anyway, and a batch of twenty costs
the store little more than one of five. A request that finds no batch being written never waits. The queue
is taken in arrival order.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

# Lanes kept per process (one per event with registrations in flight; idle ones are dropped beyond this).
_LANES_KEPT = 1024


class Job:
    """One request in a lane: what the leader needs (`payload`), and what it answers."""
    __slots__ = ("payload", "result", "error", "taken", "done", "answered", "wake")

    def __init__(self, payload: Any):
        self.payload = payload
        self.result: Any = None
        self.error: BaseException | None = None
        self.taken = False  # in a batch (whose leader may still be writing it)
        self.done = False
        self.answered = False  # False when done: take the one-by-one path
        self.wake: threading.Condition | None = None  # its thread waits on it (the lane's lock)

    def answer(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error, self.answered = result, error, True


class _Lane:
    """One key's queue. Every waiting thread waits on its own job's condition (all on the lane's lock), so
    that a freed lane wakes only the next leader and a written batch only its own members: with fifty
    requests waiting, waking them all at every step cost more than the batch saved."""
    __slots__ = ("lock", "gathering", "queue", "busy", "users", "writing")

    def __init__(self):
        self.lock = threading.Lock()
        self.gathering = threading.Condition(self.lock)  # a leader waiting for a fuller batch
        self.queue: list[Job] = []
        self.busy = False
        self.users = 0
        self.writing = 0  # batches whose `then` (their transaction) is running

    def wake_next_leader(self) -> None:
        """The lane is free: the first job still waiting (arrival order) leads the next batch."""
        if self.queue and not self.busy:
            self.queue[0].wake.notify()


_lanes: dict[Any, _Lane] = {}
_lanes_lock = threading.Lock()
# What the batches did in this process (tests and the bench read it): batches led, jobs in them.
stats = {"batches": 0, "jobs": 0, "largest": 0}


def _lane(key) -> _Lane:
    with _lanes_lock:
        lane = _lanes.get(key)
        if lane is None:
            if len(_lanes) >= _LANES_KEPT:
                for idle in [k for k, v in _lanes.items() if v.users == 0]:
                    del _lanes[idle]
            lane = _lanes[key] = _Lane()
        lane.users += 1
        return lane


def _release(lane: _Lane) -> None:
    with _lanes_lock:
        lane.users -= 1


def submit(key, job: Job, lead: Callable[[list[Job]], Callable[[], None] | None], max_batch: int = 50,
           gather: float = 0.0) -> Job:
    """Queue `job` under `key`; lead a batch when it is this thread's turn; return once `job` is done.

    `lead(jobs)` runs alone in its lane; it may return what is left to do (`then()`, e.g. the batch's
    transaction), which runs once the lane is free again: the next batch starts meanwhile, once the
    running `then` ended, the batch is full or `gather` seconds passed."""
    lane = _lane(key)
    job.wake = threading.Condition(lane.lock)
    try:
        with lane.lock:
            lane.queue.append(job)
            if len(lane.queue) == max_batch:
                lane.gathering.notify()  # a leader gathering a batch: it is full
            while not job.done:
                if lane.busy or job.taken:
                    job.wake.wait()
                    continue
                lane.busy = True
                deadline = time.monotonic() + gather
                while lane.writing and len(lane.queue) < max_batch and (left := deadline - time.monotonic()) > 0:
                    lane.gathering.wait(left)
                batch, lane.queue[:] = lane.queue[:max_batch], lane.queue[max_batch:]
                for other in batch:
                    other.taken = True
                lane.lock.release()
                try:
                    with _lanes_lock:
                        stats["batches"] += 1
                        stats["jobs"] += len(batch)
                        stats["largest"] = max(stats["largest"], len(batch))
                    then = _guarded(batch, lambda: lead(batch))
                finally:
                    with lane.lock:
                        lane.busy = False
                        lane.writing += then is not None
                        lane.wake_next_leader()
                try:
                    if then is not None:
                        _guarded(batch, then)
                finally:
                    lane.lock.acquire()
                    if then is not None:
                        lane.writing -= 1
                        lane.gathering.notify()  # the next leader need not wait for more
                    for other in batch:
                        other.done = True
                        if other is not job:
                            other.wake.notify()
    finally:
        _release(lane)
    return job


def _guarded(batch: list[Job], step):
    try:
        return step()
    except BaseException as exc:  # noqa: BLE001 - whatever the leader hit, every job gets an answer
        for other in batch:
            if not other.answered:
                other.answer(error=exc)
        return None
