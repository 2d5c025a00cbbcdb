"""What a routed event is handled with (`Ctx`), and the template contexts some messages add to it."""
from __future__ import annotations

from dataclasses import dataclass, field

from shared.bus.outbox import Tx


@dataclass
class Ctx:
    envelope: dict
    tx: Tx
    settings: object
    item: dict | None = None          # the calendar item the message is about (after projection)
    extra: dict = field(default_factory=dict)  # what the projection step found (e.g. previous start)

    @property
    def data(self) -> dict:
        return self.envelope["data"]

    @property
    def federation(self) -> str | None:
        return self.envelope.get("federation") or self.data.get("federation")


def status_is(*statuses: str):
    return lambda ctx: ctx.data.get("status") in statuses


def minimum_context(ctx: Ctx) -> dict:
    return {"data": {**ctx.data, "registered_count": ctx.data.get("taken"),
                     "minimum": ctx.data.get("min_participants"), "deadline": ctx.data.get("minimum_deadline")}}


def decision_context(ctx: Ctx) -> dict:
    decision = ctx.data.get("decision")
    labels = {"accepted": "retenue", "rejected": "non retenue", "shortlisted": "présélectionnée"}
    cohort = ctx.data.get("cohort") or {}
    return {"decision": decision, "decision_label": labels.get(decision, decision), "accepted": decision == "accepted",
            "shortlisted": decision == "shortlisted", "reserve": False,
            "data": {**ctx.data, "cohort_name": cohort.get("name")}}


def training_context(ctx: Ctx) -> dict:
    cohort = ctx.data.get("cohort") or ctx.data  # cohort events carry the cohort itself
    return {"data": {**ctx.data, "cohort_name": cohort.get("name"),
                     "programme_name": (cohort.get("programme") or {}).get("name"),
                     "code": ctx.data.get("certificate_code")},
            "verify_url": ctx.data.get("verification_url")}


def enrolled_seminars(ctx: Ctx) -> list[dict]:
    """The calendar items of a new learner's seminars (found by the projection step)."""
    return ctx.extra.get("seminars") or []


def enrolled_context(ctx: Ctx) -> dict:
    return {**training_context(ctx), "seminars": enrolled_seminars(ctx)}
