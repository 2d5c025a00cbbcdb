"""Exactly once per (domain event, recipient, channel) under concurrency and redelivery."""
from __future__ import annotations

import threading

from services.notifications import dispatcher
from services.notifications.store import DELIVERIES
from shared.testing import running_worker, wait_until, wait_until_handled
from notif_kit import ev, event_data, feed, person_data, publish, role, structure_data


def test_competing_dispatchers_send_each_email_once(notif, messages_sub, smtp):
    msp = structure_data()
    people = [person_data(first=f"P{i}", last="Test", roles=[role(msp["id"])]) for i in range(24)]
    feed(notif, messages_sub, ev("registry.structure.registered.v1", msp),
         *(ev("registry.person.registered.v1", p) for p in people))
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(
        audience={"local_group_ids": [], "structure_kinds": ["MSP"], "roles": []})))
    assert notif.db[DELIVERIES].count_documents({"status": "queued"}) == 24

    results = []
    threads = [threading.Thread(target=lambda: results.append(
        dispatcher.dispatch_due(notif.db, notif.settings, "email"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.get("sent", 0) for r in results) == 24
    wait_until(lambda: len(smtp.messages) == 24, timeout=5)
    assert len({m["Message-ID"] for m in smtp.messages}) == 24
    assert notif.db[DELIVERIES].count_documents({"status": "sent"}) == 24


def test_end_to_end_registry_then_event_over_the_broker_with_the_worker(notif, smtp, settings):
    msp = structure_data()
    alice = person_data(first="Alice", last="Broker", roles=[role(msp["id"])])
    event = ev("events.event.published.v1", event_data(
        audience={"local_group_ids": [], "structure_kinds": ["MSP"], "roles": []}))
    with running_worker(notif):
        publish(settings, ev("registry.structure.registered.v1", msp), ev("registry.person.registered.v1", alice),
                event)
        wait_until_handled(notif, event["id"], timeout=15)
        # The dispatcher is woken by the handler: no poll interval to wait for.
        wait_until(lambda: smtp.sink.to(alice["email"]), timeout=10, message="the invitation")
    assert len(smtp.messages) == 1
    doc = notif.db[DELIVERIES].find_one({"person_id": alice["id"]})
    assert doc["status"] == "sent" and doc["event_type"] == "events.event.published.v1"
