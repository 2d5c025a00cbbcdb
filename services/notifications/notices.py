"""How a routed event becomes messages: a `Route` is the projection step (what we keep of the event)
then the `Notice`s to queue (template, category, recipients, .ics). `handle` runs one route inside the
consumer's transaction; it never sends anything: it queues `deliveries` that the dispatcher sends after
the commit (see deliveries.enqueue_email)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from services.notifications import deliveries
from services.notifications.contexts import Ctx
from services.notifications.recipients import Recipients
from shared.bus.outbox import Tx


@dataclass(frozen=True)
class Notice:
    template: str
    category: str
    recipients: Recipients
    ics: str | None = None                          # "REQUEST", "CANCEL" or "PUBLISH": attach the item's .ics
    when: Callable[[Ctx], bool] | None = None       # only if…
    context: Callable[[Ctx], dict] | None = None    # more template variables
    items: Callable[[Ctx], list[dict]] | None = None  # the calendar items of the .ics (default: ctx.item)

    def ics_items(self, ctx: Ctx):
        if not self.ics:
            return None
        if self.items is not None:
            return self.items(ctx) or None
        return ctx.item


@dataclass(frozen=True)
class Route:
    project: Callable[[Ctx], bool | None] | None = None  # returns False: stale event, nothing to send
    notices: tuple[Notice, ...] = ()


def handle(envelope: dict, tx: Tx, *, route: Route, settings) -> None:
    ctx = Ctx(envelope, tx, settings)
    if route.project is not None and route.project(ctx) is False:
        return  # an older version than what we hold: its messages would tell something outdated
    item = ctx.item
    if item is not None and ctx.extra.get("previous_starts_at") and not item.get("previous_starts_at"):
        item["previous_starts_at"] = ctx.extra["previous_starts_at"]
    seen: set[str] = set()
    for notice in route.notices:
        if notice.when and not notice.when(ctx):
            continue
        context = {"item": item or {}, "data": ctx.data, **(notice.context(ctx) if notice.context else {})}
        for recipient in notice.recipients(ctx):
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            deliveries.enqueue_email(
                tx, settings, origin=envelope["id"], event_type=envelope["type"], subject_id=envelope.get("subject"),
                federation=ctx.federation, recipient=recipient, template=notice.template, category=notice.category,
                context=context, ics_item=notice.ics_items(ctx), ics_method=notice.ics)
