"""Growing waits with jitter, capped at a few seconds: a restarted broker or store is found again at once."""
from __future__ import annotations

import random


class Backoff:
    def __init__(self, initial: float = 0.2, cap: float = 5.0):
        self.initial = initial
        self.cap = cap
        self._next = initial

    def next(self) -> float:
        wait = self._next
        self._next = min(self._next * 2, self.cap)
        return wait * random.uniform(0.75, 1.25)

    def reset(self) -> None:
        self._next = self.initial
