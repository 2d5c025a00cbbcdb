"""E-mails from domain events, through a real store and a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import datetime as dt

from services.notifications import dispatcher
from services.notifications.ical import parse_ics
from services.notifications.store import DELIVERIES
from shared.testing import running_worker, wait_until, wait_until_handled
from notif_kit import (
    FED, ev, event_data, feed, person_data, publish, recipient_of, registration_data,
)


def subj(msg) -> str:
    return " ".join(str(msg["Subject"]).split())


def ics_of(msg) -> dict:
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return {**parse_ics(part.get_payload(decode=True)), "content_method": part.get_param("method")}
    raise AssertionError("no .ics attached")


def send_all(rt, channel="email"):
    return dispatcher.dispatch_due(rt.db, rt.settings, channel)


def test_an_event_published_to_a_local_group_mails_each_member_once_with_a_valid_ics(notif, messages_sub, network,
                                                                                      smtp):
    event = event_data(audience=network.audience())
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    assert send_all(notif) == {"sent": 3}

    assert sorted(str(m["To"]).split("<")[1].rstrip(">") for m in smtp.messages) == sorted(
        p["email"] for p in network.members)
    for msg in smtp.messages:
        assert subj(msg).startswith("Invitation : Groupe local des coordinateurs Nord-Loire")
        assert msg["List-Unsubscribe"].startswith("<http://maillage.test/notifications/v1/unsubscribe?token=")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg["Message-ID"].endswith("@maillage>")
        body = msg.get_body(("plain",)).get_content()
        assert "Vous êtes invité(e)" in body and "MSP de Clisson, 2 rue des Halles, 44190 Clisson" in body
        assert "http://maillage.test/desinscription?token=" in msg.get_body(("html",)).get_content()
        ics = ics_of(msg)
        assert ics["method"] == "REQUEST" and ics["content_method"] == "REQUEST"
        assert ics["uid"] == f"{event['id']}@maillage"
        assert ics["start"] == dt.datetime.fromisoformat(event["starts_at"])
        assert ics["summary"] == event["title"]


def test_the_former_member_and_people_outside_the_group_are_not_invited(notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    send_all(notif)
    addressed = " ".join(str(m["To"]) for m in smtp.messages)
    assert network.former["email"] not in addressed and network.outsider["email"] not in addressed


def test_a_reschedule_sends_an_updated_ics_with_the_same_uid_and_a_higher_sequence(notif, messages_sub, network,
                                                                                     smtp):
    event = event_data(audience=network.audience(), version=2)
    reg = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event),
         ev("events.registration.confirmed.v1", reg))
    send_all(notif)
    first = [ics_of(m) for m in smtp.sink.to(network.alice["email"])]
    assert {i["uid"] for i in first} == {f"{event['id']}@maillage"}

    new_start = dt.datetime.fromisoformat(event["starts_at"]) + dt.timedelta(days=7)
    moved = {**event_data(event["id"], starts_at=new_start, version=3, audience=network.audience()),
             "changed": ["starts_at", "ends_at"], "previous": {k: event[k] for k in ("starts_at", "ends_at", "format",
                                                                                       "venue", "video_link")},
             "recipients": [recipient_of(reg)]}
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved))
    send_all(notif)
    update = [m for m in smtp.sink.to(network.alice["email"]) if subj(m).startswith("Changement")]
    assert len(update) == 1, "one update for Alice (registrant and invitee)"
    ics = ics_of(update[0])
    assert ics["uid"] == f"{event['id']}@maillage" and ics["method"] == "REQUEST"
    assert ics["sequence"] > max(i["sequence"] for i in first)
    assert ics["start"] == new_start
    assert "prévu initialement le" in update[0].get_body(("plain",)).get_content()
    # Invitees who did not register also get it: their calendars hold the invitation.
    assert len([m for m in smtp.sink.to(network.bruno["email"]) if subj(m).startswith("Changement")]) == 1


def test_a_cancellation_sends_an_ics_cancel_to_everyone_registered(notif, messages_sub, network, smtp):
    event = event_data(audience={"local_group_ids": [], "structure_kinds": [], "roles": []}, version=2)
    guest = {"first_name": "Gaëlle", "last_name": "Invitée", "email": "gaelle@partenaire.example", "may_email": True}
    regs = [registration_data(event, network.alice), registration_data(event, None, guest=guest)]
    feed(notif, messages_sub, ev("events.event.published.v1", event),
         *(ev("events.registration.confirmed.v1", r) for r in regs))
    cancelled = {**event_data(event["id"], version=3, status="cancelled"), "cancel_reason": "Trop peu d'inscrits",
                 "starts_at": event["starts_at"], "ends_at": event["ends_at"],
                 "recipients": [recipient_of(r) for r in regs]}
    feed(notif, messages_sub, ev("events.event.cancelled.v1", cancelled))
    send_all(notif)
    for address in (network.alice["email"], guest["email"]):
        cancels = [m for m in smtp.sink.to(address) if subj(m).startswith("Annulation")]
        assert len(cancels) == 1
        ics = ics_of(cancels[0])
        assert ics["method"] == "CANCEL" and ics["status"] == "CANCELLED" and ics["uid"] == f"{event['id']}@maillage"
        assert "Motif : Trop peu d'inscrits" in cancels[0].get_body(("plain",)).get_content()


def test_the_same_domain_event_delivered_twice_sends_one_email(notif, messages_sub, network, smtp):
    envelope = ev("events.event.published.v1", event_data(audience=network.audience()))
    assert feed(notif, messages_sub, envelope, envelope) == ["handled", "duplicate"]
    send_all(notif)
    send_all(notif)
    assert len(smtp.messages) == 3


def test_through_the_broker_a_redelivered_event_still_gives_one_email_per_member(notif, network, smtp, settings):
    envelope = ev("events.event.published.v1", event_data(audience=network.audience()))
    with running_worker(notif):
        publish(settings, envelope, envelope)
        wait_until_handled(notif, envelope["id"])
        wait_until(lambda: len(smtp.messages) >= 3, timeout=15, message="3 e-mails")
        wait_until(lambda: notif.db[DELIVERIES].count_documents({"status": "sent"}) == 3, message="marked sent")
    assert len(smtp.messages) == 3


def test_when_smtp_is_down_the_email_is_retried_then_sent_once_it_is_back(notif, messages_sub, network, smtp):
    smtp.stop()
    event = event_data(audience=network.audience())
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    # The first attempt fails; the other two are not tried against a server that is down.
    assert send_all(notif) == {"retrying": 1, "deferred": 2}
    docs = list(notif.db[DELIVERIES].find())
    assert {d["status"] for d in docs} == {"retrying"}
    assert sorted(d["attempts"][-1]["outcome"] for d in docs) == ["deferred", "deferred", "error"]
    failed = next(d for d in docs if d["attempts"][-1]["outcome"] == "error")
    assert "ConnectionRefusedError" in failed["last_error"] or "Errno" in failed["last_error"]

    smtp.start()
    wait_until(lambda: send_all(notif).get("sent") == 3 or
               notif.db[DELIVERIES].count_documents({"status": "sent"}) == 3, timeout=5, interval=0.1)
    assert len(smtp.messages) == 3
    doc = notif.db[DELIVERIES].find_one({"_id": failed["_id"]})
    assert doc["status"] == "sent" and [a["outcome"] for a in doc["attempts"]] == ["error", "sent"]
    assert doc["attempt_count"] == 2 and doc["message_id"] == f"<{doc['_id']}@maillage>"


def test_after_the_last_retry_a_delivery_fails_and_staff_can_retry_it(notif, messages_sub, network, smtp, api):
    from shared.testing import OutboxCapture
    from shared.testing.contract import assert_matches_asyncapi

    smtp.stop()
    outbox = OutboxCapture(notif)
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    import time
    deadline = time.monotonic() + 20
    while notif.db[DELIVERIES].count_documents({"status": "failed"}) < 3 and time.monotonic() < deadline:
        send_all(notif)
        time.sleep(0.05)
    assert notif.db[DELIVERIES].count_documents({"status": "failed"}) == 3
    failed = outbox.of("notifications.delivery.failed.v1")
    assert len(failed) == 3
    assert_matches_asyncapi(failed[0])

    smtp.start()
    doc = notif.db[DELIVERIES].find_one({"person_id": network.alice["id"]})
    staff = api("notifications").as_user(FED, ["staff"])
    r = staff.post(f"/notifications/v1/deliveries/{doc['_id']}/retry")
    assert r.status_code == 200, r.json
    assert r.json["status"] == "queued"
    assert send_all(notif) == {"sent": 1}
    assert len(smtp.sink.to(network.alice["email"])) == 1
    assert staff.post(f"/notifications/v1/deliveries/{doc['_id']}/retry").status_code == 409


def test_a_crash_after_sending_resends_with_the_same_message_id(notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience={"local_group_ids": [],
                                 "structure_kinds": [], "roles": ["leader"]})))
    now = dt.datetime.now(dt.timezone.utc)
    claimed = dispatcher.claim(notif.db, notif.settings, "email", now)
    # The worker sends, then dies before recording it: the lease expires and another one takes it.
    from services.notifications.mailer import Mailer, build_message
    msg = build_message(sender="x@example.org", to=claimed["recipient"]["email"], to_name=None, subject="s",
                        text="t", html="<p>t</p>", message_id=f"<{claimed['_id']}@maillage>", unsubscribe_url=None,
                        ics=None, ics_method=None)
    Mailer(smtp.url).send(msg)
    later = now + dt.timedelta(seconds=notif.settings.notifications_lease_seconds + 1)
    assert dispatcher.dispatch_due(notif.db, notif.settings, "email", now=later) == {"sent": 1}
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == 2 and len(set(ids)) == 1, "the resent copy is recognisably the same message"
    doc = notif.db[DELIVERIES].find_one({"_id": claimed["_id"]})
    assert [a["outcome"] for a in doc["attempts"]] == ["lease_expired", "sent"]


def test_registration_messages_reach_the_registrant(notif, messages_sub, network, smtp):
    event = event_data(version=2)
    reg = registration_data(event, network.chloe, status="waitlisted")
    promoted = {**reg, "status": "registered", "previous_status": "waitlisted", "version": 2}
    feed(notif, messages_sub, ev("events.event.published.v1", event),
         ev("events.registration.waitlisted.v1", {**reg, "waitlist_position": 2}),
         ev("events.registration.promoted.v1", promoted))
    send_all(notif)
    subjects = [subj(m) for m in smtp.sink.to(network.chloe["email"])]
    assert subjects[0].startswith("Liste d'attente") and subjects[1].startswith("Une place s'est libérée")
    assert "position 2" in smtp.sink.to(network.chloe["email"])[0].get_body(("plain",)).get_content()


def test_a_guest_registration_is_confirmed_to_the_guest(notif, messages_sub, smtp):
    event = event_data(version=2)
    guest = {"first_name": "Paul", "last_name": "Partenaire", "email": "paul@ars.example", "may_email": True}
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, None, guest=guest)))
    send_all(notif)
    [msg] = smtp.sink.to("paul@ars.example")
    assert subj(msg).startswith("Inscription confirmée") and "Bonjour Paul" in msg.get_body(("plain",)).get_content()
    assert ics_of(msg)["uid"] == f"{event['id']}@maillage"


def test_organizers_are_warned_when_the_minimum_is_not_reached(notif, messages_sub, network, smtp):
    event = event_data(organizer_ids=[network.bruno["id"]], version=2)
    feed(notif, messages_sub, ev("events.event.minimum_not_reached.v1", {**event, "taken": 2}))
    send_all(notif)
    [msg] = smtp.messages
    assert network.bruno["email"] in str(msg["To"]) and subj(msg).startswith("Seuil de participants")
    assert "2 inscrit(s) pour un minimum de 5" in msg.get_body(("plain",)).get_content()


def test_a_person_without_consent_is_suppressed_and_logged(notif, messages_sub, smtp):
    silent = person_data(first="Hugo", last="Silence", may_email=False, roles=[])
    feed(notif, messages_sub, ev("registry.person.registered.v1", silent))
    event = event_data(version=2)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, silent)))
    send_all(notif)
    assert smtp.messages == []
    doc = notif.db[DELIVERIES].find_one({"person_id": silent["id"]})
    assert doc["status"] == "suppressed" and doc["reason"] == "may_email_false"
    assert doc["attempts"][0]["outcome"] == "suppressed"


def test_inviting_more_people_after_publication_mails_only_those_not_invited_yet(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience())
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    assert send_all(notif) == {"sent": 3}

    cpts = {"local_group_ids": [], "structure_kinds": ["CPTS"], "roles": []}
    grown = {**event_data(event["id"], version=2, audience=network.audience()), "invited": cpts}
    feed(notif, messages_sub, ev("events.event.invited.v1", grown))
    assert send_all(notif) == {"sent": 1}
    invited = smtp.sink.to(network.outsider["email"])
    assert len(invited) == 1 and subj(invited[0]).startswith("Invitation : ")
    assert ics_of(invited[0])["uid"] == f"{event['id']}@maillage"

    again = {**event_data(event["id"], version=3, audience=network.audience()), "invited": network.audience()}
    feed(notif, messages_sub, ev("events.event.invited.v1", again))
    assert dispatcher.dispatch_due(notif.db, notif.settings, "email") == {}
    assert len(smtp.messages) == 4
