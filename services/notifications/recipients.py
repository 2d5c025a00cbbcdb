"""Who a message goes to: a `Recipient` (a person of the registry projection, or an outside guest), found
from what an event names, and the recipient selectors of the routes table (`Recipients`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from services.notifications import rules
from services.notifications.contexts import Ctx
from services.notifications.store import LOCAL_GROUPS, PEOPLE, REGISTRATIONS, STRUCTURES
from shared import clock
from shared.bus.outbox import Tx


@dataclass(frozen=True)
class Recipient:
    key: str                   # person id, or `guest:<email>` for an outside guest
    email: str | None
    first_name: str | None = None
    last_name: str | None = None
    person_id: str | None = None
    may_email: bool = True
    erased: bool = False

    @property
    def name(self) -> str | None:
        return " ".join(x for x in (self.first_name, self.last_name) if x) or None

    @property
    def is_guest(self) -> bool:
        return self.key.startswith("guest:")

    @classmethod
    def of_person(cls, doc: dict) -> "Recipient":
        """From the registry projection (an erased person's tombstone has nothing to write to)."""
        if doc.get("deleted"):
            return cls(key=doc["_id"], email=None, person_id=doc["_id"], erased=bool(doc.get("erased")),
                       may_email=not doc.get("erased"))
        return cls(key=doc["_id"], email=doc.get("email"), first_name=doc.get("first_name"),
                   last_name=doc.get("last_name"), person_id=doc["_id"], may_email=bool(doc.get("may_email", False)))

    @classmethod
    def of_ref(cls, key: str, ref: dict, person_id: str | None = None, may_email: bool = True) -> "Recipient":
        """From the copy an event (or a reminder's snapshot) carries."""
        return cls(key=key, person_id=person_id, email=ref.get("email"), first_name=ref.get("first_name"),
                   last_name=ref.get("last_name"), may_email=bool(ref.get("may_email", may_email)))

    def snapshot(self) -> dict:
        return {"email": self.email, "first_name": self.first_name, "last_name": self.last_name,
                "may_email": self.may_email}


def guest_key(email: str) -> str:
    return f"guest:{email.lower()}"


def resolve(tx: Tx, ref: dict | None, person_id: str | None = None) -> Recipient | None:
    """A person named in an event (id + name + e-mail + may_email, or a guest's name + e-mail). What our
    registry projection holds wins (latest e-mail, consent, erasure); the event's copy is the fallback."""
    ref = ref or {}
    pid = person_id or ref.get("person_id") or ref.get("id")
    if pid:
        person = tx.db[PEOPLE].find_one({"_id": pid}, session=tx.session)
        if person is not None:
            return Recipient.of_person(person)
        return Recipient.of_ref(pid, ref, person_id=pid, may_email=False)
    if ref.get("email"):
        return Recipient.of_ref(guest_key(ref["email"]), ref)
    return None


def _resolved(tx: Tx, refs: Iterable[dict | None]) -> list[Recipient]:
    return [r for r in (resolve(tx, ref) for ref in refs) if r]


def _by_ids(tx: Tx, ids: Iterable[str]) -> list[Recipient]:
    return [r for r in (resolve(tx, None, person_id=i) for i in ids) if r]


Recipients = Callable[[Ctx], Iterable[Recipient]]


def person_of(key: str) -> Recipients:
    """The person in `data[key]` (a PersonRef)."""
    return lambda ctx: _resolved(ctx.tx, [ctx.data.get(key)])


def people_list(key: str) -> Recipients:
    """The people in `data[key]` (a list of PersonRef)."""
    return lambda ctx: _resolved(ctx.tx, ctx.data.get(key) or [])


def registrant(ctx: Ctx) -> list[Recipient]:
    r = resolve(ctx.tx, ctx.data, person_id=ctx.data.get("person_id"))
    return [r] if r else []


def audience(ctx: Ctx) -> list[Recipient]:
    """Everyone the event targets, from our own projection of the registry."""
    return audience_matching(ctx, ctx.data.get("audience") or {})


def audience_matching(ctx: Ctx, spec: dict) -> list[Recipient]:
    """Everyone `spec` (local groups, structure kinds, roles) targets, from our projection of the registry."""
    fed = ctx.federation
    db, s = ctx.tx.db, ctx.tx.session
    people = db[PEOPLE].find({"federation": fed, "deleted": {"$ne": True}}, session=s)
    structures = {d["_id"]: d for d in db[STRUCTURES].find({"federation": fed}, session=s)}
    groups = {d["_id"]: d for d in db[LOCAL_GROUPS].find({"federation": fed}, session=s)}
    chosen = rules.select_audience(people, structures, groups, spec, clock.today())
    return [Recipient.of_person(p) for p in chosen]


def new_invitees(ctx: Ctx) -> list[Recipient]:
    """Those an added audience brings who were not invited yet (found by `calendar.project_invited`)."""
    return ctx.extra.get("new_invitees") or []


WITHDRAWN = ("cancelled", "rejected")


def _active_refs(ctx: Ctx) -> list[dict]:
    return [ref for ref in ctx.data.get("recipients") or [] if ref.get("status") not in WITHDRAWN]


def registrants_and_invitees(ctx: Ctx) -> list[Recipient]:
    """Who has this item in their calendar: the registrants named in the event, and the people invited —
    except those who withdrew (their registration cancelled or refused): the CANCEL they received took the
    item out of their calendar, and a later REQUEST would put it back."""
    out = _resolved(ctx.tx, _active_refs(ctx)) + _by_ids(ctx.tx, (ctx.item or {}).get("invited_keys") or [])
    withdrawn = withdrawn_keys(ctx)
    return [r for r in out if r.key not in withdrawn]


def withdrawn_keys(ctx: Ctx) -> set[str]:
    """Recipient keys of the people who registered for this item and are no longer in it. The event's own
    `recipients` (its active registrations when it changed) is authoritative: whoever we saw register and is
    not listed there (or listed as cancelled/rejected) withdrew, even if their cancellation reaches us later."""
    if ctx.item is None:
        return set()
    active = {r.key for r in _resolved(ctx.tx, _active_refs(ctx))}
    seen = set()
    for reg in ctx.tx.db[REGISTRATIONS].find({"event_id": ctx.item["_id"]}, {"person_id": 1, "email": 1},
                                             session=ctx.tx.session):
        key = reg.get("person_id") or (guest_key(reg["email"]) if reg.get("email") else None)
        if key:
            seen.add(key)
    return seen - active


def organizers(ctx: Ctx) -> list[Recipient]:
    return _by_ids(ctx.tx, ctx.data.get("organizer_ids") or (ctx.item or {}).get("organizer_ids") or [])


def seminar_people(ctx: Ctx) -> list[Recipient]:
    trainers = [{"id": t.get("person_id"), "email": t.get("email"), "may_email": True, "first_name": t.get("name")}
                for t in ctx.data.get("trainers") or []]
    return _resolved(ctx.tx, [*(ctx.data.get("learners") or []), *trainers])
