"""Calendars stay right after a cancellation: whoever cancelled their registration hears no more about the
meeting (a later REQUEST would put it back in their calendar), attachments are named after what they do,
and nobody is sent a video link to a meeting that will not take place."""
from __future__ import annotations

import datetime as dt

from services.notifications import dispatcher
from services.notifications.ical import attachment_name, build_ics
from notif_kit import ev, event_data, feed, recipient_of, registration_data

VIDEO = "https://visio.example.org/groupe-nord-loire"


def send_all(rt):
    return dispatcher.dispatch_due(rt.db, rt.settings, "email")


def subj(msg) -> str:
    return " ".join(str(msg["Subject"]).split())


def attachment(msg):
    [part] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    return part


def moved(event, *registrations, days=7):
    start = dt.datetime.fromisoformat(event["starts_at"]) + dt.timedelta(days=days)
    return {**event_data(event["id"], starts_at=start, version=event["version"] + 2,
                         audience=event["audience"]),
            "changed": ["starts_at", "ends_at"],
            "previous": {k: event[k] for k in ("starts_at", "ends_at", "format", "venue", "video_link")},
            "recipients": [recipient_of(r) for r in registrations]}


def test_a_registrant_who_cancelled_gets_no_reschedule_request(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience(), version=2)
    alice = registration_data(event, network.alice)
    chloe = registration_data(event, network.chloe)
    feed(notif, messages_sub, ev("events.event.published.v1", event),
         ev("events.registration.confirmed.v1", alice), ev("events.registration.confirmed.v1", chloe),
         ev("events.registration.cancelled.v1", {**alice, "status": "cancelled", "version": 2}))
    send_all(notif)
    [cancel] = [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Inscription annulée")]
    assert attachment(cancel).get_param("method") == "CANCEL"

    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved(event, chloe)))
    send_all(notif)
    assert not [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Changement")]
    # The others still follow: a registrant, and an invitee who never registered.
    for person in (network.chloe, network.bruno):
        assert len([m for m in smtp.sink.to(person["email"]) if subj(m).startswith("Changement")]) == 1


def test_a_cancellation_that_reaches_us_after_the_reschedule_still_keeps_the_registrant_out(
        notif, messages_sub, network, smtp):
    """The event's own list of active registrations decides, whatever order the events arrive in."""
    event = event_data(audience=network.audience(), version=2)
    alice = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event), ev("events.registration.confirmed.v1", alice))
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved(event)))  # Alice no longer listed
    send_all(notif)
    assert not [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Changement")]


def test_after_their_own_cancellation_the_event_cancellation_does_not_reach_them_either(
        notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience(), version=2)
    alice = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event), ev("events.registration.confirmed.v1", alice),
         ev("events.registration.cancelled.v1", {**alice, "status": "cancelled", "version": 2}))
    cancelled = {**event_data(event["id"], version=4, status="cancelled", audience=network.audience()),
                 "starts_at": event["starts_at"], "ends_at": event["ends_at"], "cancel_reason": "Salle indisponible",
                 "recipients": []}
    feed(notif, messages_sub, ev("events.event.cancelled.v1", cancelled))
    send_all(notif)
    assert not [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Annulation")]
    assert len([m for m in smtp.sink.to(network.bruno["email"]) if subj(m).startswith("Annulation")]) == 1


def test_attachments_are_named_after_what_they_do(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience(), version=2)
    alice = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event), ev("events.registration.confirmed.v1", alice))
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved(event, alice)))
    cancelled = {**event_data(event["id"], version=6, status="cancelled", audience=network.audience()),
                 "starts_at": event["starts_at"], "ends_at": event["ends_at"], "recipients": [recipient_of(alice)]}
    feed(notif, messages_sub, ev("events.event.cancelled.v1", cancelled))
    send_all(notif)
    names = {subj(m).split(" :")[0]: attachment(m).get_filename() for m in smtp.sink.to(network.alice["email"])}
    assert names == {"Invitation": "invitation.ics", "Inscription confirmée": "inscription.ics",
                     "Changement": "changement.ics", "Annulation": "annulation.ics"}
    assert attachment_name("CANCEL", "registration") == "annulation.ics"
    assert attachment_name("PUBLISH", "training") == "calendrier.ics"


def test_the_cancellation_e_mail_and_its_ics_do_not_show_the_video_link(notif, messages_sub, network, smtp):
    event = {**event_data(audience=network.audience(), version=2), "format": "online", "venue": None,
             "video_link": VIDEO}
    alice = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event), ev("events.registration.confirmed.v1", alice))
    send_all(notif)
    [invitation] = [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Invitation")]
    assert VIDEO in invitation.get_body(("plain",)).get_content(), "the invitation does give the link"

    cancelled = {**event, "version": 4, "status": "cancelled", "cancel_reason": "Intervenant absent",
                 "recipients": [recipient_of(alice)]}
    feed(notif, messages_sub, ev("events.event.cancelled.v1", cancelled))
    send_all(notif)
    [cancel] = [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Annulation")]
    for body in (cancel.get_body(("plain",)).get_content(), cancel.get_body(("html",)).get_content(),
                 attachment(cancel).get_payload(decode=True).decode()):
        assert VIDEO not in body and "visio.example.org" not in body


def test_a_cancel_ics_carries_no_video_link_while_a_request_does():
    item = {"_id": "e1", "title": "Webinaire", "starts_at": "2031-03-12T09:30:00+01:00", "video_url": VIDEO}
    assert VIDEO.encode() in build_ics(item, method="REQUEST", attendee=None, organizer="no-reply@maillage.invalid")
    assert b"visio.example.org" not in build_ics(item, method="CANCEL", attendee=None,
                                                 organizer="no-reply@maillage.invalid")
