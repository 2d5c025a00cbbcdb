from shared.testing import OutboxCapture


def test_a_staff_member_creates_publishes_and_a_member_registers(staff, client, events_rt, person, body):
    outbox = OutboxCapture(events_rt)
    r = staff.post("/events/v1/events", json=body())
    assert r.status_code == 201, r.json
    event = r.json
    assert event["starts_at"].startswith("2031-03-12T08:30:00")
    assert event["starts_at_local"] == "2031-03-12T09:30:00+01:00"
    r = staff.post(f"/events/v1/events/{event['id']}/publish", json={})
    assert r.status_code == 200, r.json
    pid = person("p-1")
    member = client.as_user("apmsl", ["member"], sub=pid)
    r = member.post(f"/events/v1/events/{event['id']}/registrations", json={})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "registered"
    assert outbox.types == ["events.event.published.v1", "events.registration.confirmed.v1"]
