"""Webhooks: signed deliveries to a local HTTP receiver, retries, disabled on 410, logged."""
from __future__ import annotations

import json
import time

from services.notifications import dispatcher, rules
from services.notifications.store import DELIVERIES, WEBHOOKS
from shared.testing import run_handler, running_worker, wait_until
from notif_kit import FED, ev, event_data, publish


def register(api, receiver, types=("events.event.*",), fed=FED, secret="s3cret-for-the-receiver-0001"):
    r = api("notifications").as_user(fed, ["admin"]).post("/notifications/v1/webhooks", json={
        "url": receiver.url, "event_types": list(types), "secret": secret, "description": "SI de la fédération"})
    assert r.status_code == 201, r.json
    return r.json


def send_hooks(rt):
    return dispatcher.dispatch_due(rt.db, rt.settings, "webhook")


def test_the_receiver_gets_the_event_signed_and_verifies_the_signature(notif, webhooks_sub, receiver, api):
    hook = register(api, receiver)
    assert hook["secret"] == "s3cret-for-the-receiver-0001"
    envelope = ev("events.event.published.v1", event_data())
    run_handler(notif, webhooks_sub, envelope)
    assert send_hooks(notif) == {"sent": 1}

    [request] = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert rules.verify_webhook(hook["secret"], headers["x-maillage-signature"], request["body"], now=time.time())
    assert not rules.verify_webhook("wrong-secret", headers["x-maillage-signature"], request["body"])
    assert not rules.verify_webhook(hook["secret"], headers["x-maillage-signature"], request["body"] + b" ")
    assert json.loads(request["body"]) == envelope
    assert headers["x-maillage-event-type"] == "events.event.published.v1"
    assert headers["x-maillage-event-id"] == envelope["id"]
    log = notif.db[DELIVERIES].find_one({"channel": "webhook"})
    assert log["status"] == "sent" and log["attempts"][-1]["http_status"] == 200
    assert headers["x-maillage-delivery"] == log["_id"]


def test_only_the_chosen_types_of_the_hooks_own_federation_are_sent(notif, webhooks_sub, receiver, api):
    register(api, receiver, types=["training.seminar.*"])
    register(api, receiver, types=["events.#"], fed="femage")
    run_handler(notif, webhooks_sub, ev("events.event.published.v1", event_data()))
    run_handler(notif, webhooks_sub, ev("training.seminar.scheduled.v1", {"id": "s1", "version": 1}, fed="femage"))
    assert send_hooks(notif) == {}
    assert receiver.requests == []


def test_a_failing_receiver_is_retried_then_succeeds(notif, webhooks_sub, receiver, api):
    register(api, receiver)
    receiver.status = 503
    run_handler(notif, webhooks_sub, ev("events.event.cancelled.v1", event_data()))
    assert send_hooks(notif) == {"retrying": 1}
    receiver.status = 200
    wait_until(lambda: send_hooks(notif).get("sent") == 1, timeout=5, interval=0.1)
    doc = notif.db[DELIVERIES].find_one({"channel": "webhook"})
    assert [a.get("http_status") for a in doc["attempts"]] == [503, 200]
    assert len({r["headers"]["X-Maillage-Delivery"] for r in receiver.requests}) == 1, "same delivery id on retry"


def test_a_410_disables_the_webhook_and_is_logged(notif, webhooks_sub, receiver, api):
    hook = register(api, receiver)
    receiver.status = 410
    run_handler(notif, webhooks_sub, ev("events.event.published.v1", event_data()))
    assert send_hooks(notif) == {"failed": 1}
    stored = notif.db[WEBHOOKS].find_one({"_id": hook["id"]})
    assert stored["active"] is False and stored["disabled_reason"] == "410 Gone"
    run_handler(notif, webhooks_sub, ev("events.event.published.v1", event_data()))
    assert notif.db[DELIVERIES].count_documents({"channel": "webhook"}) == 1, "a disabled hook gets nothing more"
    staff = api("notifications").as_user(FED, ["staff"])
    listed = staff.get("/notifications/v1/deliveries?channel=webhook&status=failed")
    assert listed.json["total"] == 1 and "410" in listed.json["items"][0]["last_error"]
    # Staff re-enable it once the receiver is back.
    current = staff.get(f"/notifications/v1/webhooks/{hook['id']}")
    r = staff.patch(f"/notifications/v1/webhooks/{hook['id']}", json={"active": True},
                    headers={"If-Match": current.headers["ETag"]})
    assert r.status_code == 200 and r.json["active"] is True and r.json["disabled_reason"] is None


def test_an_unreachable_receiver_is_retried_until_it_gives_up(notif, webhooks_sub, receiver, api):
    register(api, receiver)
    receiver.close()
    run_handler(notif, webhooks_sub, ev("events.event.published.v1", event_data()))
    for _ in range(20):
        send_hooks(notif)
        if notif.db[DELIVERIES].find_one({"channel": "webhook", "status": "failed"}):
            break
        time.sleep(0.2)
    doc = notif.db[DELIVERIES].find_one({"channel": "webhook"})
    assert doc["status"] == "failed"
    assert doc["attempt_count"] == len(notif.settings.notifications_webhook_backoff) + 1


def test_the_default_webhook_back_off_spans_about_a_day():
    total = sum(rules.WEBHOOK_BACKOFF)
    assert 20 * 3600 <= total <= 30 * 3600


def test_through_the_broker_a_hook_receives_the_event_once(notif, receiver, api, settings):
    register(api, receiver, types=["events.registration.*"])
    envelope = ev("events.registration.confirmed.v1", {"id": "r1", "event_id": "e1", "version": 1})
    with running_worker(notif):
        publish(settings, envelope, envelope)
        wait_until(lambda: len(receiver.requests) >= 1, timeout=15, message="webhook received")
        time.sleep(0.5)
    assert len(receiver.requests) == 1


def test_webhooks_to_the_platforms_own_network_are_refused(notif, webhooks_sub, receiver, api, settings):
    from services.notifications import webhooks

    assert webhooks.refused_target("http://127.0.0.1:8000/x", False)
    assert webhooks.refused_target("http://10.0.0.5/x", False, resolve=False)
    assert webhooks.refused_target("http://[::1]/x", False, resolve=False)
    assert webhooks.refused_target("http://localhost/x", False, resolve=False)
    assert webhooks.refused_target("http://169.254.169.254/latest/meta-data", False, resolve=False)
    assert webhooks.refused_target("https://hooks.partner.example/x", False, resolve=False) is None
    assert webhooks.refused_target("http://127.0.0.1/x", True) is None

    strict = settings.replace(webhook_allow_private=False)
    from services.notifications.app import create_app
    from shared.testing.fixtures import ApiClient
    client = ApiClient(create_app(strict), strict).as_user(FED, ["admin"])
    r = client.post("/notifications/v1/webhooks", json={"url": "http://127.0.0.1:6379/", "event_types": ["events.#"]})
    assert r.status_code == 422 and "url" in r.json["errors"]
    # A hook registered by name that resolves inside is refused when it would be called.
    register(api, receiver)
    run_handler(notif, webhooks_sub, ev("events.event.published.v1", event_data()))
    assert dispatcher.dispatch_due(notif.db, strict, "webhook") == {"failed": 1}
    assert receiver.requests == []
