"""Preferences, unsubscribe links, the registry's consent flag, and erasure."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

from services.notifications import dispatcher, rules
from services.notifications.store import DELIVERIES, PEOPLE, PREFERENCES, REMINDERS
from notif_kit import FED, ev, event_data, feed, person_data, recipient_of, registration_data


def send_all(rt):
    return dispatcher.dispatch_due(rt.db, rt.settings, "email")


def token_of(msg) -> str:
    url = str(msg["List-Unsubscribe"]).strip("<>")
    return parse_qs(urlparse(url).query)["token"][0]


def test_an_opted_out_person_is_suppressed_and_logged_but_still_gets_critical_messages(
        notif, messages_sub, network, smtp, api):
    event = event_data(audience=network.audience(), version=2)
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    send_all(notif)
    [invite] = smtp.sink.to(network.alice["email"])

    # Alice follows the link in the invitation (RFC 8058 one-click POST, no token needed).
    public = api("notifications").anonymous()
    r = public.post(f"/notifications/v1/unsubscribe?token={token_of(invite)}",
                    data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200, r.json
    assert r.json == {"category": "invitation", "unsubscribed": True, "label": rules.CATEGORY_LABELS["invitation"]}

    second = event_data(audience=network.audience(), version=2, title="Deuxième rencontre")
    feed(notif, messages_sub, ev("events.event.published.v1", second))
    send_all(notif)
    assert len(smtp.sink.to(network.alice["email"])) == 1, "no second invitation"
    log = notif.db[DELIVERIES].find_one({"person_id": network.alice["id"], "subject_id": second["id"]})
    assert log["status"] == "suppressed" and log["reason"] == "opted_out"
    listed = api("notifications").as_user(FED, ["staff"]).get(
        f"/notifications/v1/deliveries?status=suppressed&person_id={network.alice['id']}")
    assert listed.json["total"] == 1 and listed.json["items"][0]["reason"] == "opted_out"

    # A change of date is critical: it reaches her anyway, with a link that cannot switch it off.
    reg = registration_data(second, network.alice)
    moved = {**event_data(second["id"], version=3, audience=network.audience(), title="Deuxième rencontre"),
             "changed": ["venue"], "previous": {k: second[k] for k in ("starts_at", "ends_at", "format", "venue",
                                                                        "video_link")},
             "recipients": [recipient_of(reg)]}
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved))
    send_all(notif)
    [change] = [m for m in smtp.sink.to(network.alice["email"]) if "Changement" in str(m["Subject"])]
    assert rules.verify_unsubscribe(notif.settings.link_signing_secret, token_of(change))["category"] == rules.ALL


def test_a_person_who_switched_everything_off_still_gets_cancellations(notif, messages_sub, network, smtp, api):
    me = api("notifications").as_user(FED, ["member"], sub=network.bruno["id"])
    r = me.put(f"/notifications/v1/preferences/{network.bruno['id']}", json={"opted_out": ["all"]})
    assert r.status_code == 200, r.json
    assert {c["category"]: c["enabled"] for c in r.json["categories"]} == {
        "invitation": False, "registration": False, "reminder": False, "training": False, "organizer": False,
        "cancellation": True, "rescheduling": True}
    event = event_data(version=2)
    reg = registration_data(event, network.bruno)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg),
         ev("events.event.cancelled.v1", {**event_data(event["id"], version=3, status="cancelled"),
                                          "starts_at": event["starts_at"], "ends_at": event["ends_at"],
                                          "recipients": [recipient_of(reg)]}))
    send_all(notif)
    subjects = [str(m["Subject"]) for m in smtp.sink.to(network.bruno["email"])]
    assert len(subjects) == 1 and "Annulation" in subjects[0]


def test_critical_categories_cannot_be_switched_off(notif, network, api):
    me = api("notifications").as_user(FED, ["member"], sub=network.alice["id"])
    r = me.put(f"/notifications/v1/preferences/{network.alice['id']}", json={"opted_out": ["cancellation"]})
    assert r.status_code == 422 and "opted_out" in r.json["errors"]
    token = rules.sign_unsubscribe(notif.settings.link_signing_secret, network.alice["id"], FED, "rescheduling")
    r = api("notifications").anonymous().post(f"/notifications/v1/unsubscribe?token={token}")
    assert r.status_code == 422
    assert notif.db[PREFERENCES].find_one({"_id": network.alice["id"]}) is None


def test_a_forged_or_tampered_unsubscribe_token_is_refused(notif, network, api):
    public = api("notifications").anonymous()
    forged = rules.sign_unsubscribe("another-secret-xxxxxxxxxxxxxxxxxxxxx", network.alice["id"], FED, "invitation")
    good = rules.sign_unsubscribe(notif.settings.link_signing_secret, network.alice["id"], FED, "invitation")
    other = rules.sign_unsubscribe(notif.settings.link_signing_secret, network.bruno["id"], FED, "invitation")
    tampered = other.split(".")[0] + "." + ".".join(good.split(".")[1:])  # Bruno's payload, Alice's signature
    for token in (forged, tampered, "not-a-token-at-all"):
        r = public.post(f"/notifications/v1/unsubscribe?token={token}")
        assert r.status_code == 422 and r.mimetype == "application/problem+json", token
    assert public.post("/notifications/v1/unsubscribe").status_code == 422
    assert notif.db[PREFERENCES].count_documents({}) == 0


def test_an_unsubscribe_link_from_an_old_e_mail_has_expired_and_says_so(notif, network, api):
    long_ago = dt.datetime.now(dt.timezone.utc) - rules.UNSUBSCRIBE_LINK_MAX_AGE - dt.timedelta(days=1)
    token = rules.sign_unsubscribe(notif.settings.link_signing_secret, network.alice["id"], FED, "invitation",
                                   at=long_ago)
    public = api("notifications").anonymous()
    for r in (public.get(f"/notifications/v1/unsubscribe?token={token}"),
              public.post(f"/notifications/v1/unsubscribe?token={token}")):
        assert r.status_code == 422 and "a expiré" in r.json["errors"]["token"][0]
    assert notif.db[PREFERENCES].count_documents({}) == 0


def test_a_token_of_another_federation_with_the_same_sub_gets_nothing_of_their_preferences(notif, network, api):
    impostor = api("notifications").as_user("femage", ["member"], sub=network.alice["id"])
    path = f"/notifications/v1/preferences/{network.alice['id']}"
    assert impostor.get(path).status_code == 404
    assert impostor.put(path, json={"opted_out": ["invitation"]}).status_code in (403, 404)
    assert notif.db[PREFERENCES].find_one({"_id": network.alice["id"]}) is None
    herself = api("notifications").as_user(FED, ["member"], sub=network.alice["id"])
    assert herself.put(path, json={"opted_out": ["invitation"]}).status_code == 200


def test_the_unsubscribe_page_asks_before_changing_anything(notif, network, api):
    token = rules.sign_unsubscribe(notif.settings.link_signing_secret, network.alice["id"], FED, "reminder")
    r = api("notifications").anonymous().get(f"/notifications/v1/unsubscribe?token={token}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "rappels" in r.get_data(as_text=True) and "<form method='post'" in r.get_data(as_text=True)
    assert notif.db[PREFERENCES].count_documents({}) == 0


def test_an_erasure_purges_the_person_and_the_personal_fields_of_their_deliveries(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience(), version=2)
    reg = registration_data(event, network.chloe)
    feed(notif, messages_sub, ev("events.event.published.v1", event), ev("events.registration.confirmed.v1", reg))
    send_all(notif)
    notif.db[PREFERENCES].insert_one({"_id": network.chloe["id"], "opted_out": ["training"], "federation": FED})
    assert notif.db[REMINDERS].count_documents({"person_id": network.chloe["id"]}) == 2

    feed(notif, messages_sub, ev("registry.person.erased.v1", {"id": network.chloe["id"], "federation": FED},
                                 sequence=5))
    person = notif.db[PEOPLE].find_one({"_id": network.chloe["id"]})
    assert person == {"_id": network.chloe["id"], "federation": FED, "deleted": True, "erased": True,
                      "sequence": person["sequence"]}
    assert notif.db[PREFERENCES].find_one({"_id": network.chloe["id"]}) is None
    assert notif.db[REMINDERS].count_documents({"person_id": network.chloe["id"]}) == 0
    assert notif.db[DELIVERIES].count_documents({"person_id": network.chloe["id"]}) == 0
    erased = list(notif.db[DELIVERIES].find({"erased": True}))
    assert len(erased) == 2 and {d["status"] for d in erased} == {"sent"}
    blob = repr(erased)
    assert network.chloe["email"] not in blob and "Chloé" not in blob and "Moreau" not in blob

    # A replayed registration of her, or a new message about her, brings nothing back.
    feed(notif, messages_sub, ev("registry.person.updated.v1", {**network.chloe, "version": 9}))
    assert notif.db[PEOPLE].find_one({"_id": network.chloe["id"]}).get("email") is None
    before = len(smtp.messages)
    later = event_data(audience=network.audience(), version=2)
    feed(notif, messages_sub, ev("events.event.published.v1", later))
    send_all(notif)
    assert len(smtp.messages) == before + 2
    assert all(network.chloe["email"] not in str(m["To"]) for m in smtp.messages[before:])


def test_an_email_queued_for_someone_then_erased_is_not_sent(notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    feed(notif, messages_sub, ev("registry.person.erased.v1", {"id": network.alice["id"], "federation": FED},
                                 sequence=3))
    assert send_all(notif) == {"sent": 2}
    assert not smtp.sink.to(network.alice["email"])
    doc = notif.db[DELIVERIES].find_one({"erased": True})
    assert doc["status"] == "suppressed" and doc["reason"] == "erased"


def test_a_newer_consent_from_the_registry_is_honoured(notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("registry.person.updated.v1", {**network.alice, "may_email": False, "version": 2}))
    # An older copy arriving late does not roll it back.
    feed(notif, messages_sub, ev("registry.person.updated.v1", {**network.alice, "may_email": True, "version": 1}))
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    send_all(notif)
    assert not smtp.sink.to(network.alice["email"])
    assert notif.db[DELIVERIES].find_one({"person_id": network.alice["id"]})["reason"] == "may_email_false"


def test_people_named_in_an_event_without_a_registry_copy_use_the_events_consent(notif, messages_sub, smtp):
    stranger = person_data(first="Ines", last="Nouvelle", may_email=False)
    event = event_data(version=2)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, stranger)))
    assert send_all(notif) == {}
    assert notif.db[DELIVERIES].find_one({"person_id": stranger["id"]})["reason"] == "may_email_false"
