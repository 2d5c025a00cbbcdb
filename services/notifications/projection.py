"""What notifications keeps of the registry (people, structures, local groups: who an invitation goes to,
who may be e-mailed), and the erasures that purge a person or an outside guest. Applied only when newer
(`shared.projection.apply_if_newer`); an erasure is a tombstone no later event can undo."""
from __future__ import annotations

from services.notifications import erasure
from services.notifications.contexts import Ctx
from services.notifications.store import LOCAL_GROUPS, PEOPLE, STRUCTURES
from shared.projection import apply_if_newer, erase


def project_person(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, PEOPLE, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "first_name": d.get("first_name"),
        "last_name": d.get("last_name"), "email": d.get("email"), "phone": d.get("phone"),
        "may_email": bool(d.get("may_email", False)), "demo": bool(d.get("demo", False)),
        "roles": d.get("roles") or [], "deleted": False})


def erase_person(ctx: Ctx) -> None:
    pid = ctx.data.get("id") or ctx.envelope["subject"]
    erase(ctx.tx, PEOPLE, pid, ctx.envelope, keep={"federation": ctx.federation})
    erasure.forget_registrations(ctx.tx, {"person_id": pid})
    erasure.purge_person(ctx.tx, pid)


def erase_guest(ctx: Ctx) -> None:
    """events.guest.erased: the outside guest's registrations and deliveries keep no address or name."""
    erasure.purge_guest(ctx.tx, ctx.data.get("federation") or ctx.federation, ctx.data["email_sha256"])


def project_structure(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, STRUCTURES, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "kind": d.get("kind"), "name": d.get("name"),
        "city": d.get("city"), "department": d.get("department"), "status": d.get("status"),
        "local_group_id": d.get("local_group_id"), "archived": bool(d.get("archived", False))})


def project_local_group(ctx: Ctx) -> None:
    d = ctx.data
    apply_if_newer(ctx.tx, LOCAL_GROUPS, d["id"], ctx.envelope, {
        "federation": d.get("federation") or ctx.federation, "name": d.get("name"),
        "department": d.get("department"), "structure_ids": d.get("structure_ids") or [],
        "contact_person_ids": d.get("contact_person_ids") or []})


