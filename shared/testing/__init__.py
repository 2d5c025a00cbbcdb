"""Test helpers in the spirit of nameko's `entrypoint_hook` / `worker_factory`.

- `EventCapture`: a temporary queue bound to the exchange; `wait_for(type)` returns the envelope.
- `OutboxCapture`: the events a call wrote to a service's outbox (no broker needed).
- `run_handler`: run a subscription's handler on an envelope, idempotency included.
- `running_worker`: a service's worker (relay + consumers + jobs) in threads for the test.
- `wait_until`, `wait_until_handled`, `make_event`.

The pytest fixtures (`settings`, `runtime`, `api`, `capture`, …) live in `shared.testing.fixtures`.
"""
from shared.testing.helpers import (  # noqa: F401
    EventCapture, OutboxCapture, make_event, run_handler, running_worker, wait_until, wait_until_handled,
)
