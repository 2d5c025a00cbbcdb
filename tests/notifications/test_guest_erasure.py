"""An outside guest's e-mails carry the signed link that erases them; `events.guest.erased` purges what
notifications keeps of them (delivery log, registrations, preferences), like a registry erasure."""
from __future__ import annotations

from urllib.parse import unquote

from notif_kit import ev, event_data, feed, registration_data
from services.notifications import dispatcher
from shared import guest_erasure

GUEST = {"first_name": "Paul", "last_name": "Partenaire", "email": "Paul@ars.example", "may_email": True}


def _send_all(rt):
    dispatcher.dispatch_due(rt.db, rt.settings, "email")


def test_a_guest_e_mail_carries_the_link_that_erases_them_and_members_get_none(notif, messages_sub, network, smtp):
    event = event_data(version=2)
    feed(notif, messages_sub,
         ev("events.registration.confirmed.v1", registration_data(event, None, guest=GUEST)),
         ev("events.registration.confirmed.v1", registration_data(event, network.alice)))
    _send_all(notif)
    [to_guest] = smtp.sink.to("Paul@ars.example")
    text = to_guest.get_body(("plain",)).get_content()
    assert "/events/v1/guests/erasure?token=" in text
    token = text.split("/events/v1/guests/erasure?token=")[1].split()[0]
    assert guest_erasure.verify(notif.settings, unquote(token)) == {"federation": "apmsl", "email": "paul@ars.example"}
    assert "guests/erasure" in to_guest.get_body(("html",)).get_content()
    [to_alice] = smtp.sink.to(network.alice["email"])
    assert "guests/erasure" not in to_alice.get_body(("plain",)).get_content()


def test_an_erased_guest_leaves_no_address_in_the_delivery_log(notif, messages_sub, network, smtp):
    event = event_data(version=2)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, None, guest=GUEST)),
         ev("events.registration.confirmed.v1", registration_data(event, network.alice)))
    _send_all(notif)
    digest = guest_erasure.email_digest(GUEST["email"])
    feed(notif, messages_sub, ev("events.guest.erased.v1", {"federation": "apmsl", "email_sha256": digest,
                                                             "registrations": 1}, subject=digest))
    everything = str(list(notif.db.deliveries.find())) + str(list(notif.db.registrations.find()))
    assert "ars.example" not in everything.lower()
    assert network.alice["email"] in everything  # only the guest is purged
    erased = notif.db.deliveries.find_one({"erased": True})
    assert erased["status"] == "sent" and erased["recipient_key"] is None and "message" not in erased


def test_another_federations_erasure_purges_nothing_here(notif, messages_sub, smtp):
    event = event_data(version=2)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, None, guest=GUEST)))
    digest = guest_erasure.email_digest(GUEST["email"])
    feed(notif, messages_sub, ev("events.guest.erased.v1", {"federation": "femage", "email_sha256": digest,
                                                             "registrations": 0}, subject=digest, fed="femage"))
    assert notif.db.deliveries.find_one({"recipient.email": GUEST["email"]}) is not None
