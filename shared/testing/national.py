"""For the tests that prove a `national` token reads everything and writes nothing."""
from __future__ import annotations

# Who calls: (federation claim, roles).
NATIONAL_READERS = {
    "national without federation": (None, ["national"]),
    "national of another federation": ("femage", ["national"]),
    "national staff of another federation": ("femage", ["national", "admin"]),
}


def snapshot(db, collections=None) -> dict:
    """Every document of `collections` (default: all but the outbox and processed events), to compare
    before and after a refused call."""
    names = collections or [n for n in db.list_collection_names() if not n.startswith(("outbox", "processed"))]
    return {name: sorted(db[name].find(), key=lambda d: str(d["_id"])) for name in names}
