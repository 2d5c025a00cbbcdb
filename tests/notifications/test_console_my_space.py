"""A person's own space in the web console: the e-mails sent to them, their preferences (critical ones locked),
the export of what notifications keeps of them."""
from __future__ import annotations

from services.notifications import dispatcher
from notif_kit import FED, ev, event_data, feed


def _me(api, person):
    return api("notifications").as_user(FED, ["coordinator"], sub=person["id"])


def test_my_deliveries_are_mine_only_with_their_subject(api, notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience())
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    dispatcher.dispatch_due(notif.db, notif.settings, "email")
    r = _me(api, network.alice).get("/notifications/v1/me/deliveries")
    assert r.status_code == 200, r.json
    [mine] = r.json["items"]
    assert mine["person_id"] == network.alice["id"] and mine["status"] == "sent"
    assert mine["subject"].startswith("Invitation : ") and mine["event_id"] == event["id"]
    assert "html" not in r.get_data(as_text=True)
    assert _me(api, network.alice).get(f"/notifications/v1/me/deliveries?event_id={event['id']}").json["total"] == 1
    assert _me(api, network.alice).get("/notifications/v1/me/deliveries?event_id=autre").json["total"] == 0
    bad = _me(api, network.alice).get("/notifications/v1/me/deliveries?category=spam")
    assert bad.status_code == 422 and "category" in bad.json["errors"]


def test_my_preferences_flag_the_critical_categories_and_refuse_switching_them_off(api, network):
    me = _me(api, network.bruno)
    r = me.get("/notifications/v1/me/preferences")
    assert r.status_code == 200, r.json
    critical = {c["category"] for c in r.json["categories"] if c["critical"]}
    assert critical == {"cancellation", "rescheduling"}
    assert all(c["enabled"] for c in r.json["categories"] if c["critical"])
    refused = me.put("/notifications/v1/me/preferences", json={"opted_out": ["cancellation"]})
    assert refused.status_code == 422 and "opted_out" in refused.json["errors"]
    changed = me.put("/notifications/v1/me/preferences", json={"opted_out": ["reminder"]})
    assert changed.status_code == 200 and changed.json["opted_out"] == ["reminder"]
    assert me.get("/notifications/v1/me/preferences").json["opted_out"] == ["reminder"]


def test_my_notifications_export(api, notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    me = _me(api, network.chloe)
    me.put("/notifications/v1/me/preferences", json={"opted_out": ["training"]})
    export = me.get("/notifications/v1/me/export")
    assert export.status_code == 200, export.json
    assert export.json["service"] == "notifications" and export.json["person_id"] == network.chloe["id"]
    assert export.json["preferences"]["opted_out"] == ["training"]
    [delivery] = export.json["deliveries"]
    assert delivery["subject"].startswith("Invitation : ") and delivery["created_at"][:2] == "20"
    assert api("notifications").as_user(None, ["national"], sub="nat").get(
        "/notifications/v1/me/export").status_code == 403
