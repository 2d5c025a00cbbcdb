"""Every endpoint: validation errors (problem+json), roles, federation isolation."""
from __future__ import annotations

import pytest

from services.notifications import dispatcher, templating
from services.notifications.store import DELIVERIES
from notif_kit import FED, ev, event_data, feed

BASE = "/notifications/v1"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(api):
    return api("notifications")


@pytest.fixture
def logged(notif, messages_sub, network, smtp):
    """Three invitations sent in apmsl, one in femage."""
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    dispatcher.dispatch_due(notif.db, notif.settings, "email")
    other = dict(notif.db[DELIVERIES].find_one())
    other.update(_id="femage-delivery", federation="femage", status="failed")
    notif.db[DELIVERIES].insert_one(other)
    return network


# --- delivery log -------------------------------------------------------------------------------

def test_staff_list_the_delivery_log_with_filters_and_pagination(client, logged):
    staff = client.as_user(FED, ["staff"])
    r = staff.get(f"{BASE}/deliveries?per_page=2")
    assert r.status_code == 200
    assert r.json["total"] == 3 and len(r.json["items"]) == 2 and r.json["page"] == 1
    item = r.json["items"][0]
    assert item["status"] == "sent" and item["channel"] == "email" and item["template"] == "invitation"
    assert item["event_type"] == "events.event.published.v1" and "message" not in item and "ics" not in item
    assert staff.get(f"{BASE}/deliveries?page=2&per_page=2").json["items"].__len__() == 1
    assert staff.get(f"{BASE}/deliveries?person_id={logged.alice['id']}").json["total"] == 1
    assert staff.get(f"{BASE}/deliveries?event_type=events.event.published.v1&channel=email").json["total"] == 3
    assert staff.get(f"{BASE}/deliveries?status=failed").json["total"] == 0
    assert staff.get(f"{BASE}/deliveries?since=2000-01-01T00:00:00%2B00:00&until=2100-01-01T00:00:00Z").json[
        "total"] == 3
    assert staff.get(f"{BASE}/deliveries?until=2000-01-01T00:00:00Z").json["total"] == 0


def test_a_delivery_shows_its_message_and_attempts(client, logged):
    staff = client.as_user(FED, ["admin"])
    did = staff.get(f"{BASE}/deliveries?person_id={logged.alice['id']}").json["items"][0]["id"]
    r = staff.get(f"{BASE}/deliveries/{did}")
    assert r.status_code == 200
    assert r.json["message"]["subject"].startswith("Invitation")
    assert r.json["attempts"][-1]["outcome"] == "sent" and r.json["message_id"] == f"<{did}@maillage>"
    assert r.json["ics_uid"].endswith("@maillage")


@pytest.mark.parametrize("query, field", [
    ("status=bogus", "status"), ("channel=sms", "channel"), ("per_page=1000", "per_page"), ("page=0", "page"),
    ("since=yesterday", "since"), ("since=2026-01-01T00:00:00", "since"), ("status[$ne]=sent", "status[$ne]"),
    ("event_type=%24where", "event_type"), ("colour=blue", "colour"), ("person_id=" + "x" * 500, "person_id"),
    ("since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "until"),
])
def test_bad_filters_are_422_problems_naming_the_field(client, query, field):
    r = client.as_user(FED, ["staff"]).get(f"{BASE}/deliveries?{query}")
    assert r.status_code == 422 and r.mimetype == PROBLEM
    assert field in r.json["errors"]


def test_the_delivery_log_is_for_staff_of_the_federation(client, logged):
    assert client.anonymous().get(f"{BASE}/deliveries").status_code == 401
    assert client.as_user(FED, ["member"]).get(f"{BASE}/deliveries").status_code == 403
    assert client.as_user(FED, ["coordinator"]).get(f"{BASE}/deliveries").status_code == 403
    other = client.as_user("femage", ["staff"])
    assert other.get(f"{BASE}/deliveries").json["total"] == 1
    assert other.get(f"{BASE}/deliveries?federation=apmsl").json["total"] == 0
    apmsl_id = client.as_user(FED, ["staff"]).get(f"{BASE}/deliveries").json["items"][0]["id"]
    assert other.get(f"{BASE}/deliveries/{apmsl_id}").status_code == 404
    assert other.post(f"{BASE}/deliveries/{apmsl_id}/retry").status_code == 404
    national = client.as_user(None, ["national"])
    assert national.get(f"{BASE}/deliveries").json["total"] == 4
    assert national.get(f"{BASE}/deliveries?federation=femage").json["total"] == 1
    assert national.post(f"{BASE}/deliveries/femage-delivery/retry").status_code == 403


def test_retry_rules(client, logged, notif):
    staff = client.as_user(FED, ["staff"])
    sent = staff.get(f"{BASE}/deliveries").json["items"][0]["id"]
    r = staff.post(f"{BASE}/deliveries/{sent}/retry")
    assert r.status_code == 409 and r.mimetype == PROBLEM and "status" in r.json["errors"]
    assert staff.post(f"{BASE}/deliveries/nope/retry").status_code == 404
    assert client.as_user(FED, ["member"]).post(f"{BASE}/deliveries/{sent}/retry").status_code == 403
    r = client.as_user("femage", ["admin"]).post(f"{BASE}/deliveries/femage-delivery/retry")
    assert r.status_code == 200 and r.json["status"] == "queued"
    assert r.json["attempts"][-1]["outcome"] == "retry_requested"


# --- preferences ----------------------------------------------------------------------------------

def test_preferences_are_read_and_written_by_the_person_or_their_federations_staff(client, network):
    pid = network.alice["id"]
    me = client.as_user(FED, ["member"], sub=pid)
    r = me.get(f"{BASE}/preferences/{pid}")
    assert r.status_code == 200 and r.json["opted_out"] == [] and len(r.json["categories"]) == 7
    assert me.put(f"{BASE}/preferences/{pid}", json={"opted_out": ["reminder", "invitation"]}).json[
        "opted_out"] == ["reminder", "invitation"]
    staff = client.as_user(FED, ["staff"])
    assert staff.get(f"{BASE}/preferences/{pid}").json["opted_out"] == ["reminder", "invitation"]
    assert staff.put(f"{BASE}/preferences/{pid}", json={"opted_out": []}).status_code == 200
    # Someone else, another federation's staff, a stranger: no.
    assert client.as_user(FED, ["member"], sub=network.bruno["id"]).get(f"{BASE}/preferences/{pid}").status_code == 404
    assert client.as_user("femage", ["staff"]).get(f"{BASE}/preferences/{pid}").status_code == 404
    assert client.as_user("femage", ["staff"]).put(f"{BASE}/preferences/{pid}",
                                                    json={"opted_out": ["reminder"]}).status_code == 404
    assert client.anonymous().get(f"{BASE}/preferences/{pid}").status_code == 401
    assert client.as_user(None, ["national"]).put(f"{BASE}/preferences/{pid}", json={"opted_out": []}).status_code == 403


@pytest.mark.parametrize("body", [
    {}, {"opted_out": "reminder"}, {"opted_out": ["nope"]}, {"opted_out": ["cancellation"]},
    {"opted_out": ["rescheduling", "reminder"]}, {"opted_out": [], "extra": 1}, {"opted_out": [1]},
])
def test_bad_preferences_are_refused(client, network, body):
    r = client.as_user(FED, ["staff"]).put(f"{BASE}/preferences/{network.alice['id']}", json=body)
    assert r.status_code == 422 and r.mimetype == PROBLEM


def test_malformed_json_is_a_400_problem(client, network):
    r = client.as_user(FED, ["staff"]).put(f"{BASE}/preferences/{network.alice['id']}", data="{nope",
                                            content_type="application/json")
    assert r.status_code == 400 and r.mimetype == PROBLEM


# --- webhooks -------------------------------------------------------------------------------------

def test_webhooks_crud_for_staff_of_their_federation(client):
    admin = client.as_user(FED, ["admin"])
    r = admin.post(f"{BASE}/webhooks", json={"url": "https://si.apmsl.example/hooks", "event_types": ["events.#"]})
    assert r.status_code == 201 and len(r.json["secret"]) >= 32 and r.headers["Location"].endswith(r.json["id"])
    hid = r.json["id"]
    listed = admin.get(f"{BASE}/webhooks")
    assert listed.json["total"] == 1 and "secret" not in listed.json["items"][0]
    got = admin.get(f"{BASE}/webhooks/{hid}")
    assert "secret" not in got.json
    r = admin.patch(f"{BASE}/webhooks/{hid}", json={"event_types": ["training.#"]}, headers={"If-Match": '"stale-0"'})
    assert r.status_code == 412
    r = admin.patch(f"{BASE}/webhooks/{hid}", json={"event_types": ["training.#"]}, headers={"If-Match": got.headers["ETag"]})
    assert r.status_code == 200 and r.json["event_types"] == ["training.#"] and r.json["version"] == 2
    other = client.as_user("femage", ["admin"])
    assert other.get(f"{BASE}/webhooks").json["total"] == 0
    assert other.get(f"{BASE}/webhooks/{hid}").status_code == 404
    assert other.patch(f"{BASE}/webhooks/{hid}", json={"active": False}).status_code == 404
    assert other.delete(f"{BASE}/webhooks/{hid}").status_code == 404
    assert client.as_user(FED, ["member"]).post(f"{BASE}/webhooks", json={
        "url": "https://x.example/h", "event_types": ["events.#"]}).status_code == 403
    assert client.as_user(FED, ["coordinator"]).get(f"{BASE}/webhooks").status_code == 403
    assert admin.post(f"{BASE}/webhooks", json={"url": "https://x.example/h", "event_types": ["events.#"],
                                                 "federation": "femage"}).status_code == 403
    assert admin.delete(f"{BASE}/webhooks/{hid}").status_code == 204
    assert admin.get(f"{BASE}/webhooks/{hid}").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"event_types": ["events.#"]}, "url"),
    ({"url": "ftp://x.example/h", "event_types": ["events.#"]}, "url"),
    ({"url": "https://x.example/h"}, "event_types"),
    ({"url": "https://x.example/h", "event_types": []}, "event_types"),
    ({"url": "https://x.example/h", "event_types": ["registry.person.*"]}, "event_types"),
    ({"url": "https://x.example/h", "event_types": ["$where"]}, "event_types"),
    ({"url": "https://x.example/h", "event_types": ["events.#"], "secret": "short"}, "secret"),
    ({"url": "https://x.example/h", "event_types": ["events.#"], "admin": True}, "admin"),
    ({"url": "https://x.example/" + "a" * 600, "event_types": ["events.#"]}, "url"),
])
def test_bad_webhooks_are_refused(client, body, field):
    r = client.as_user(FED, ["admin"]).post(f"{BASE}/webhooks", json=body)
    assert r.status_code == 422 and r.mimetype == PROBLEM and field in r.json["errors"], r.json


# --- previews ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", templating.template_names())
def test_every_template_previews_in_french_with_sample_data(client, template):
    r = client.as_user(FED, ["staff"]).get(f"{BASE}/preview/{template}")
    assert r.status_code == 200, r.json
    assert r.json["subject"] and "Bonjour Camille" in r.json["text"] and "<html lang=\"fr\">" in r.json["html"]
    assert "/desinscription?token=" in r.json["text"]
    assert "None" not in r.json["subject"] + r.json["text"]
    if r.json.get("ics"):
        assert "BEGIN:VCALENDAR" in r.json["ics"] and "@maillage" in r.json["ics"]


def test_preview_formats_roles_and_unknown_templates(client):
    staff = client.as_user(FED, ["staff"])
    r = staff.get(f"{BASE}/preview/invitation?format=html")
    assert r.status_code == 200 and r.mimetype == "text/html" and "Invitation" in r.get_data(as_text=True)
    assert staff.get(f"{BASE}/preview/invitation?format=text").mimetype == "text/plain"
    assert staff.get(f"{BASE}/preview/invitation?format=pdf").status_code == 422
    assert staff.get(f"{BASE}/preview/nope").status_code == 404
    assert staff.get(f"{BASE}/preview/..%2Fbase").status_code == 404
    assert client.as_user(FED, ["member"]).get(f"{BASE}/preview/invitation").status_code == 403
    assert client.anonymous().get(f"{BASE}/preview/invitation").status_code == 401
    assert staff.get(f"{BASE}/templates").json["templates"] == templating.template_names()


def test_the_openapi_document_lists_the_endpoints(client):
    r = client.anonymous().get("/notifications/openapi.json")
    paths = r.json["paths"]
    for path in ("/notifications/v1/deliveries", "/notifications/v1/deliveries/{delivery_id}/retry",
                 "/notifications/v1/preferences/{person_id}", "/notifications/v1/unsubscribe",
                 "/notifications/v1/webhooks", "/notifications/v1/webhooks/{hook_id}",
                 "/notifications/v1/preview/{template}"):
        assert path in paths
