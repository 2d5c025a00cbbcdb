"""Contract: the envelopes these tests feed the handlers are the ones the other services document in
the AsyncAPI document (built from their catalogs), and every type notifications routes exists there."""
from __future__ import annotations

import pytest

from services.notifications.handlers import ROUTES, WEBHOOK_BINDINGS
from shared.asyncapi import build
from shared.bus.envelope import routing_key_of
from shared.config import Settings
from shared.testing.contract import assert_matches_asyncapi
from notif_kit import (
    FED, ev, event_data, group_data, person_data, recipient_of, registration_data, role, structure_data,
)
from test_reminders_and_training import COHORT, person_ref, seminar


def documented() -> dict[str, str]:
    """routing key → versioned type, for every message of the AsyncAPI document."""
    doc = build(Settings())
    return {routing_key_of(m["name"]): m["name"] for m in doc["components"]["messages"].values()}


def samples() -> list[dict]:
    msp = structure_data(local_group_id="g1")
    alice = person_data(roles=[role(msp["id"])])
    event = event_data(audience={"local_group_ids": ["g1"], "structure_kinds": ["MSP"], "roles": ["coordinator"]},
                       organizer_ids=[alice["id"]])
    reg = registration_data(event, alice)
    guest_reg = registration_data(event, None, guest={"first_name": "Paul", "last_name": "P", "email": "p@x.example",
                                                      "may_email": True})
    moved = {**event, "changed": ["starts_at"], "recipients": [recipient_of(reg)],
             "previous": {k: event[k] for k in ("starts_at", "ends_at", "format", "venue", "video_link")}}
    learner = {"id": "l1", "federation": FED, "cohort": COHORT, "person": person_ref(alice), "structure": None,
               "application_id": None, "status": "enrolled", "version": 1}
    application = {"id": "a1", "federation": FED, "cohort": COHORT, "person": person_ref(alice),
                   "structure": {"id": msp["id"], "name": msp["name"], "kind": "MSP", "city": "Clisson"},
                   "status": "accepted", "submitted_at": "2026-09-01T10:00:00+00:00", "version": 2}
    return [
        ev("registry.structure.registered.v1", msp),
        ev("registry.structure.updated.v1", {**msp, "changed": ["name"], "version": 2}),
        ev("registry.person.registered.v1", alice),
        ev("registry.person.updated.v1", {**alice, "version": 2}),
        ev("registry.person.erased.v1", {"id": alice["id"], "federation": FED}, sequence=3),
        ev("registry.local_group.created.v1", group_data("g1", structure_ids=[msp["id"]])),
        ev("registry.local_group.updated.v1", group_data("g1", structure_ids=[], version=2)),
        ev("events.event.published.v1", event),
        ev("events.event.updated.v1", {**event, "changed": ["theme"]}),
        ev("events.event.invited.v1", {**event, "invited": {"local_group_ids": [], "structure_kinds": ["CPTS"],
                                                            "roles": []}}),
        ev("events.event.rescheduled.v1", moved),
        ev("events.event.cancelled.v1", {**event, "status": "cancelled", "cancel_reason": "x",
                                         "recipients": [recipient_of(reg)]}),
        ev("events.event.held.v1", {**event, "status": "held", "registered": 3, "attended": 2, "absent": 1}),
        ev("events.event.minimum_not_reached.v1", {**event, "taken": 1}),
        *(ev(f"events.registration.{verb}.v1", reg) for verb in ("confirmed", "promoted", "approved")),
        ev("events.registration.confirmed.v1", guest_reg),
        ev("events.guest.erased.v1", {"federation": FED, "email_sha256": "0" * 64, "registrations": 1},
           subject="0" * 64),
        ev("events.registration.waitlisted.v1", {**reg, "status": "waitlisted", "waitlist_position": 1}),
        ev("events.registration.awaiting_approval.v1", {**reg, "status": "awaiting_approval"}),
        ev("events.registration.cancelled.v1", {**reg, "status": "cancelled"}),
        ev("events.registration.rejected.v1", {**reg, "status": "rejected", "reason": "complet"}),
        ev("training.application.decided.v1", {**application, "decision": "accepted", "reason": "ok", "score": 15.0,
                                               "decided_by": "u1", "decided_at": "2026-10-01T10:00:00+00:00",
                                               "committee": []}),
        ev("training.learner.enrolled.v1", {**learner, "from_reserve": False, "seminars": [
            {k: v for k, v in seminar().items() if k in ("id", "theme", "starts_on", "ends_on", "place")}]}),
        ev("training.learner.withdrawn.v1", {**learner, "status": "withdrawn", "reason": None, "withdrawn_by": "u1",
                                             "promoted_learner_id": None}),
        ev("training.learner.certified.v1", {**learner, "status": "certified", "certificate_code": "C1",
                                             "verification_url": "http://x/c/C1", "issued_on": "2027-06-30",
                                             "certification": None}),
        ev("training.learner.absence_threshold_reached.v1", {**learner, "absences": 3, "threshold": 3,
                                                             "trainers": []}),
        ev("training.seminar.scheduled.v1", seminar(learners=[person_ref(alice)])),
        ev("training.seminar.rescheduled.v1", seminar(version=2, status="rescheduled",
                                                      previous={"starts_on": "2027-03-01"})),
        ev("training.seminar.cancelled.v1", seminar(version=3, status="cancelled", reason="x")),
        ev("training.cohort.cancelled.v1", {"id": "c1", "federation": FED, "programme": COHORT["programme"],
                                            "number": 7, "name": COHORT["name"], "city": "Lyon", "department": "69",
                                            "seats": 20, "trainers": [], "applications_close_on": None,
                                            "starts_on": None, "ends_on": None, "status": "cancelled", "version": 4,
                                            "reason": "x", "people": [person_ref(alice)]}),
    ]


def test_every_routed_type_is_documented_by_its_publisher():
    types = documented()
    missing = [key for key in ROUTES if key not in types]
    assert not missing, f"routed but not in the AsyncAPI document: {missing}"


def test_the_samples_cover_every_routed_type():
    assert {routing_key_of(e["type"]) for e in samples()} == set(ROUTES)


@pytest.mark.parametrize("envelope", samples(), ids=lambda e: e["type"])
def test_what_the_tests_feed_matches_the_publishers_contract(envelope):
    if routing_key_of(envelope["type"]) not in documented():
        pytest.skip(f"{envelope['type']} is not in the catalogs yet")
    assert_matches_asyncapi(envelope)


@pytest.mark.parametrize("envelope", samples(), ids=lambda e: e["type"])
def test_every_documented_sample_is_handled_without_error(notif, messages_sub, envelope):
    from shared.testing import run_handler
    assert run_handler(notif, messages_sub, envelope) == "handled"


def test_webhook_bindings_never_carry_peoples_records():
    assert not any(b.startswith("registry.person") or b in ("#", "registry.#") for b in WEBHOOK_BINDINGS)
