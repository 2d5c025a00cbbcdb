"""Ids in a request body must name something of the caller's federation, in this service's own data.

A service never asks another one over HTTP: what it knows of the registry is its local projection, fed
by events, which may be a moment behind. So an id it does not hold is refused with a 422 naming the
field and saying the object is "not known yet, retry later". An id that exists but belongs to another
federation is refused with the very same answer: nobody learns that it exists elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.errors import Invalid, noun

NOT_KNOWN_YET = ("{identifier} pas encore {known} dans {federation} : ce service l'apprend par les événements du "
                 "registre, qui peuvent avoir un peu de retard ; réessayez dans un moment, ou vérifiez l'identifiant")
UNKNOWN = "{identifier} {known} dans {federation}"



def known_id_description(what: str) -> str:
    """What the OpenAPI document says of a field holding ids of the registry."""
    return (f"Must be {what} of the federation, as this service knows the registry (its copy, fed by the "
            "registry's events). Otherwise 422 naming this field, saying it is not known yet (« réessayez dans un "
            "moment »): the registry's news may be a moment behind. Another federation's ids get the same answer.")


class UnknownReference(Invalid):
    """A 422 problem naming the field whose id is unknown (or of another federation)."""


@dataclass(frozen=True)
class Ref:
    """Where the ids of one kind live: `collection` of this service's database (a projection or its own)."""
    collection: str
    what: str                 # "local group", "structure", "person" …
    projected: bool = True    # a copy of another service's data (may be behind) rather than our own


def _alive(doc: dict) -> bool:
    return not (doc.get("deleted") or doc.get("erased"))


def missing_ids(db, ref: Ref, ids, federation: str, session=None) -> list[str]:
    """The ids (in their order) that `federation` has no live document for in `ref.collection`."""
    wanted = [i for i in dict.fromkeys(ids) if i]
    if not wanted:
        return []
    found = {d["_id"] for d in db[ref.collection].find({"_id": {"$in": wanted}, "federation": federation},
                                                       {"_id": 1, "deleted": 1, "erased": 1}, session=session)
             if _alive(d)}
    return [i for i in wanted if i not in found]


def require_known(db, ref: Ref, ids, federation: str, *, field: str, session=None) -> None:
    """Raise `UnknownReference` (422, `field` named) unless every id is a live `ref` of `federation`."""
    if isinstance(ids, str):
        ids = [ids]
    missing = missing_ids(db, ref, ids or [], federation, session)
    if missing:
        plural = "s" if len(missing) > 1 else ""
        reason = (NOT_KNOWN_YET if ref.projected else UNKNOWN).format(
            federation=federation, identifier="identifiant" + plural,
            known=("connu" if ref.projected else "inexistant") + plural)
        names = ", ".join(f"`{i}`" for i in missing)
        raise UnknownReference(f"{noun(ref.what, capital=True)} {names} : {reason}.", field=field)


def require_all_known(db, federation: str, checks, session=None) -> None:
    """`checks`: (field, ref, ids) triples, checked in order; the first unknown one is refused."""
    for field, ref, ids in checks:
        require_known(db, ref, ids, federation, field=field, session=session)
