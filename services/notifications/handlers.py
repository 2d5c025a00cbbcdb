"""What notifications consumes, as a table: routing key → how to update the local projection, then
which messages to queue (template, category, recipients, .ics). Nothing else lives here.

Adding a message for a new event type is one line in `ROUTES`:

    "training.learner.enrolled": Route(notices=(Notice("learner_enrolled", "training", person_of("person")),)),
"""
from __future__ import annotations

import functools

from services.notifications import calendar, projection, webhooks
from services.notifications.contexts import (
    decision_context, enrolled_context, enrolled_seminars, minimum_context, status_is, training_context,
)
from services.notifications.notices import Notice, Route, handle
from services.notifications.recipients import (
    audience, new_invitees, organizers, people_list, person_of, registrant, registrants_and_invitees, seminar_people,
)

ROUTES: dict[str, Route] = {
    # registry → projection only
    "registry.person.registered": Route(projection.project_person),
    "registry.person.updated": Route(projection.project_person),
    "registry.person.erased": Route(projection.erase_person),
    "events.guest.erased": Route(projection.erase_guest),
    "registry.structure.registered": Route(projection.project_structure),
    "registry.structure.updated": Route(projection.project_structure),
    "registry.local_group.created": Route(projection.project_local_group),
    "registry.local_group.updated": Route(projection.project_local_group),
    # events
    "events.event.published": Route(calendar.project_published, (
        Notice("invitation", "invitation", audience, ics="REQUEST"),)),
    "events.event.invited": Route(calendar.project_invited, (
        Notice("invitation", "invitation", new_invitees, ics="REQUEST"),)),
    "events.event.updated": Route(calendar.project_event),
    "events.event.rescheduled": Route(calendar.project_rescheduled, (
        Notice("event_rescheduled", "rescheduling", registrants_and_invitees, ics="REQUEST"),)),
    "events.event.cancelled": Route(calendar.project_cancelled, (
        Notice("event_cancelled", "cancellation", registrants_and_invitees, ics="CANCEL"),)),
    "events.event.held": Route(calendar.project_event),
    "events.event.minimum_not_reached": Route(calendar.project_event, (
        Notice("minimum_not_reached", "organizer", organizers, context=minimum_context),)),
    "events.registration.confirmed": Route(calendar.project_registration, (
        Notice("registration_confirmed", "registration", registrant, ics="REQUEST"),)),
    "events.registration.waitlisted": Route(calendar.project_registration, (
        Notice("registration_waitlisted", "registration", registrant),)),
    "events.registration.awaiting_approval": Route(calendar.project_registration, (
        Notice("registration_awaiting_approval", "registration", registrant),)),
    "events.registration.approved": Route(calendar.project_registration, (
        Notice("registration_confirmed", "registration", registrant, ics="REQUEST", when=status_is("registered")),
        Notice("registration_waitlisted", "registration", registrant, when=status_is("waitlisted")))),
    "events.registration.promoted": Route(calendar.project_registration, (
        Notice("registration_promoted", "registration", registrant, ics="REQUEST"),)),
    "events.registration.cancelled": Route(calendar.project_registration, (
        Notice("registration_cancelled", "registration", registrant, ics="CANCEL"),)),
    "events.registration.rejected": Route(calendar.project_registration, (
        Notice("registration_rejected", "registration", registrant),)),
    # training
    "training.application.decided": Route(None, (
        Notice("application_decided", "training", person_of("person"), context=decision_context),)),
    "training.learner.enrolled": Route(calendar.project_enrolled, (
        Notice("learner_enrolled", "training", person_of("person"), ics="PUBLISH", items=enrolled_seminars,
               context=enrolled_context),)),
    "training.learner.withdrawn": Route(calendar.project_learner),
    "training.learner.certified": Route(calendar.project_learner, (
        Notice("certificate_issued", "training", person_of("person"), context=training_context),)),
    "training.learner.absence_threshold_reached": Route(None, (
        Notice("absence_warning", "training", person_of("person"), context=training_context),)),
    "training.seminar.scheduled": Route(calendar.project_seminar, (
        Notice("seminar_scheduled", "training", seminar_people, ics="REQUEST"),)),
    "training.seminar.rescheduled": Route(calendar.project_seminar, (
        Notice("seminar_rescheduled", "rescheduling", seminar_people, ics="REQUEST"),)),
    "training.seminar.cancelled": Route(calendar.project_seminar, (
        Notice("seminar_cancelled", "cancellation", seminar_people, ics="CANCEL"),)),
    "training.cohort.cancelled": Route(None, (
        Notice("cohort_cancelled", "cancellation", people_list("people"), context=training_context),)),
}

# Event types webhooks may subscribe to: the domain events of the platform, not people's records.
WEBHOOK_BINDINGS = ("events.#", "training.#", "registry.structure.#", "registry.local_group.#")


def message_handlers(settings) -> dict:
    return {key: functools.partial(handle, route=route, settings=settings) for key, route in ROUTES.items()}


def webhook_handlers(settings) -> dict:
    fan_out = functools.partial(webhooks.fan_out, settings=settings)
    return {key: fan_out for key in WEBHOOK_BINDINGS}
