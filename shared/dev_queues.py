"""`make dev` against RabbitMQ: every data directory gets its own queue prefix.

Restarting with a wiped `./var` against a broker whose queues still hold an earlier run's messages must not
feed them into the new, empty store. So a new data directory draws a random prefix (`dev-1a2b3c4d.`), kept
in `<VAR_DIR>/bus-queue-prefix` and used as BUS_QUEUE_PREFIX while that directory lives; the earlier run's
queues are left alone on the broker.
"""
from __future__ import annotations

import secrets
from pathlib import Path

PREFIX_FILE = "bus-queue-prefix"


def queue_prefix_for(var_dir: str | Path, data_dir: str | Path) -> tuple[str, bool]:
    """(prefix, new): a fresh prefix when `data_dir` is new or empty, else the one recorded beside it.

    A data directory made before prefixes were recorded keeps the empty prefix its queues already have.
    """
    record = Path(var_dir) / PREFIX_FILE
    data = Path(data_dir)
    is_new = not data.exists() or not any(data.iterdir())
    if not is_new and record.exists():
        return record.read_text(encoding="utf-8").strip(), False
    prefix = f"dev-{secrets.token_hex(4)}." if is_new else ""
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(prefix + "\n", encoding="utf-8")
    return prefix, is_new
