"""What every training use case shares: who may do what, saving an aggregate at the version read, a page
of a list, a document as it is shown.

Loading is the kit's `load_or_404` (another federation's data does not exist for the caller), the staff
check is `principal.manages(federation)` / `require_manager`; what is training's own is here.
"""
from __future__ import annotations

from shared import clock
from shared.access import load_or_404, replace_at_version, require_manager
from shared.bus.outbox import Tx
from shared.dates import as_date
from shared.http.auth import Principal
from shared.http.pagination import paginate


def load_to_manage(db, collection: str, key: str, principal: Principal, what: str) -> dict:
    """A document of the caller's federation that they run (staff): 404 if they may not see it, else 403."""
    doc = load_or_404(db, collection, key, principal, what=what)
    require_manager(principal, doc["federation"])
    return doc


def shown(doc: dict, *dates: str) -> dict:
    """A stored document as the API and events show it: `id` for `_id`, calendar dates for the `dates`."""
    return {**{k: v for k, v in doc.items() if k != "_id"}, "id": doc["_id"], **{k: as_date(doc.get(k)) for k in dates}}


def is_trainer_of(principal: Principal, cohort: dict) -> bool:
    return ("trainer" in principal.roles and principal.can_write(cohort["federation"])
            and any(t.get("person_id") == principal.sub for t in cohort.get("trainers", [])))


def is_self(principal: Principal, doc: dict) -> bool:
    """The caller is the person of this application or learner record (in their own federation)."""
    return principal.can_write(doc["federation"]) and principal.sub == doc.get("person_id")


def runs_or_teaches(principal: Principal, cohort: dict) -> bool:
    """Staff of the cohort's federation, or one of its trainers."""
    return principal.manages(cohort["federation"]) or is_trainer_of(principal, cohort)


def save(tx: Tx, collection: str, current: dict, by: str | None = None, **changes) -> dict:
    """The next version of `current` with `changes`, written only if nobody wrote it meanwhile (else 412)."""
    new = {**current, **changes, "updated_at": clock.now(), **({"updated_by": by} if by else {})}
    return replace_at_version(tx.db, collection, new, current["version"], session=tx.session)


def page_of(collection, query: dict, args: dict, sort: list, present, filters: tuple = ()) -> dict:
    """A page of `collection` matching `query` and the `filters` the caller gave in `args`, as `present` shows it."""
    page = paginate(collection, {**query, **{k: args[k] for k in filters if args.get(k)}}, args, sort=sort)
    return {**page, "items": [present(d) for d in page["items"]]}
