"""What the web console's public pages read: agendas with filters and their feeds, an event's page, its .ics."""
from __future__ import annotations

import datetime as dt

from icalendar import Calendar

A = "/events/v1/agenda"
BASE = "http://maillage.test"  # the tests' PUBLIC_BASE_URL


def test_a_federation_agenda_filters_by_format_and_gives_its_feed(client, published):
    published(title="Groupe 44 en salle")
    published(title="Webinaire", kind="webinar", format="video", venue=None, video_link="https://visio.example/a",
              local_group_id=None)
    anon = client.anonymous()
    r = anon.get(f"{A}?federation=apmsl&format=video")
    assert r.status_code == 200, r.json
    assert [i["title"] for i in r.json["items"]] == ["Webinaire"]
    assert r.json["feed_url"] == f"{BASE}/events/v1/agenda/federations/apmsl.ics"
    assert anon.get(f"{A}?format=in_person").json["total"] == 1
    bad = anon.get(f"{A}?format=online")
    assert bad.status_code == 422 and "format" in bad.json["errors"]


def test_a_local_group_agenda_gives_the_group_feed(client, published):
    published()
    r = client.anonymous().get(f"{A}?local_group_id=apmsl-44-est")
    assert r.json["total"] == 1
    assert r.json["feed_url"] == f"{BASE}/events/v1/agenda/local-groups/apmsl-44-est.ics"
    assert client.anonymous().get(A).json["feed_url"] is None


def test_upcoming_soonest_first_and_past_latest_first(client, published, clock):
    published(title="Mars", starts_at="2031-03-12T09:30:00+01:00", ends_at="2031-03-12T12:30:00+01:00")
    published(title="Mai", starts_at="2031-05-12T09:30:00+02:00", ends_at="2031-05-12T12:30:00+02:00")
    published(title="Juin", starts_at="2031-06-12T09:30:00+02:00", ends_at="2031-06-12T12:30:00+02:00")
    clock.set(dt.datetime(2031, 5, 12, 10, 0, tzinfo=dt.timezone.utc))  # during "Mai"
    anon = client.anonymous()
    assert [i["title"] for i in anon.get(f"{A}?when=upcoming").json["items"]] == ["Mai", "Juin"]
    assert [i["title"] for i in anon.get(f"{A}?when=past").json["items"]] == ["Mars"]
    assert anon.get(f"{A}?when=soon").status_code == 422


def test_the_public_event_page_has_speakers_seats_and_links_but_neither_address_nor_video_link(
        client, published, person):
    event = published(kind="regional_day", format="hybrid", video_link="https://visio.example/secret",
                      speakers=[{"name": "Dr Anne Moreau", "organization": "URPS", "topic": "Protocoles"}],
                      capacity=3)
    client.as_user("apmsl", ["member"], sub=person("p-1")).post(f"/events/v1/events/{event['id']}/registrations",
                                                                json={})
    r = client.anonymous().get(f"{A}/{event['id']}")
    assert r.status_code == 200, r.json
    page = r.json
    assert page["theme"] == "Faire vivre les protocoles"
    assert page["agenda_items"] == ["Tour de table", "Protocoles de coopération"]
    assert page["speakers"] == [{"name": "Dr Anne Moreau", "organization": "URPS", "topic": "Protocoles"}]
    assert page["seats_available"] == 2 and page["registration_open"] is True
    assert page["venue"] == {"city": "Clisson", "postal_code": "44190", "department": "44"}
    assert page["ical_url"] == f"{BASE}/events/v1/agenda/{event['id']}.ics"
    assert page["page_url"] == f"{BASE}/evenements/{event['id']}"
    assert page["feed_urls"] == {"federation": f"{BASE}/events/v1/agenda/federations/apmsl.ics",
                                 "local_group": f"{BASE}/events/v1/agenda/local-groups/apmsl-44-est.ics"}
    text = r.get_data(as_text=True)
    for private in ("visio.example", "1 rue de la Gare", "p-1", "Guérin"):
        assert private not in text


def test_one_event_as_ics_to_add_to_a_calendar(client, published, staff):
    event = published(format="hybrid", video_link="https://visio.example/secret")
    r = client.anonymous().get(f"{A}/{event['id']}.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    [vevent] = Calendar.from_ical(r.data).walk("VEVENT")
    assert str(vevent["UID"]) == f"{event['id']}@maillage"
    assert str(vevent["LOCATION"]) == "44190 Clisson et visioconférence"
    assert str(vevent["URL"]) == f"{BASE}/evenements/{event['id']}"
    assert b"visio.example" not in r.data and b"rue de la Gare" not in r.data
    staff.post(f"/events/v1/events/{event['id']}/cancel", json={"reason": "faute de participants"})
    [cancelled] = Calendar.from_ical(client.anonymous().get(f"{A}/{event['id']}.ics").data).walk("VEVENT")
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_a_draft_has_no_public_page_nor_ics(client, staff, body):
    draft = staff.post("/events/v1/events", json=body()).json
    assert client.anonymous().get(f"{A}/{draft['id']}").status_code == 404
    r = client.anonymous().get(f"{A}/{draft['id']}.ics")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
