"""Where an event takes place: every member of the federation sees the town, only those with a seat (and the
organizers, the federation's staff, national readers) see the address and the video link — in the signed-in
API as on the public agenda."""
from __future__ import annotations

E = "/events/v1/events"
HYBRID = {"format": "hybrid", "video_link": "https://visio.example.org/gl44"}


def test_a_member_sees_the_address_and_the_link_once_they_have_a_seat(client, published, person):
    event = published(**HYBRID)
    member = client.as_user("apmsl", ["coordinator"], sub=person("p-seat"))

    shown = member.get(f"{E}/{event['id']}").json
    assert shown["venue"] == {"city": "Clisson", "postal_code": "44190", "department": "44"}
    assert shown["video_link"] is None
    listed = [e for e in member.get(E).json["items"] if e["id"] == event["id"]][0]
    assert listed["venue"].get("address") is None and listed["video_link"] is None

    assert member.post(f"{E}/{event['id']}/registrations", json={}).status_code == 201
    shown = member.get(f"{E}/{event['id']}").json
    assert shown["venue"]["address"] == "1 rue de la Gare" and shown["video_link"] == HYBRID["video_link"]


def test_staff_and_national_readers_see_the_whole_place(staff, client, published):
    event = published(**HYBRID)
    assert staff.get(f"{E}/{event['id']}").json["venue"]["address"] == "1 rue de la Gare"
    national = client.as_user("national", ["national"])
    assert national.get(f"{E}/{event['id']}").json["video_link"] == HYBRID["video_link"]


def test_someone_waiting_for_a_seat_sees_only_the_town(client, published, person):
    event = published(capacity=1, **HYBRID)
    first = client.as_user("apmsl", ["coordinator"], sub=person("p-first"))
    second = client.as_user("apmsl", ["coordinator"], sub=person("p-second"))
    assert first.post(f"{E}/{event['id']}/registrations", json={}).json["status"] == "registered"
    assert second.post(f"{E}/{event['id']}/registrations", json={}).json["status"] == "waitlisted"
    assert second.get(f"{E}/{event['id']}").json["video_link"] is None
    assert first.get(f"{E}/{event['id']}").json["video_link"] == HYBRID["video_link"]
