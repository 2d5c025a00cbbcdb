"""The public agenda (no token, no personal data) and its iCalendar feeds."""
from __future__ import annotations

from icalendar import Calendar

from services.events.worker import registry_projection
from shared.testing import make_event, run_handler

A = "/events/v1/agenda"
E = "/events/v1/events"


def _group(events_rt, group_id="apmsl-44-est", name="Groupe local 44 est"):
    data = {"id": group_id, "federation": "apmsl", "name": name, "department": "44",
            "structure_ids": ["apmsl-msp-clisson"], "contact_person_ids": [], "version": 1}
    run_handler(events_rt, registry_projection(), make_event("registry.local_group.created.v1", data,
                                                             subject=group_id))


def test_the_agenda_lists_published_events_without_a_token_and_without_personal_data(
        client, staff, published, body, person, events_rt):
    _group(events_rt)
    event = published(speakers=[{"name": "Dr Dupont", "organization": "ARS"}], organizer_ids=["p-org"])
    staff.post(E, json=body(title="Brouillon"))  # a draft stays out
    client.as_user("apmsl", ["member"], sub=person("p-1")).post(f"{E}/{event['id']}/registrations", json={})
    r = client.anonymous().get(A)
    assert r.status_code == 200, r.json
    assert r.json["total"] == 1
    item = r.json["items"][0]
    assert item["title"] == event["title"] and item["local_group_name"] == "Groupe local 44 est"
    assert item["seats_available"] == 19 and item["registration_open"] is True
    assert item["starts_at_local"] == "2031-03-12T09:30:00+01:00"
    text = r.get_data(as_text=True)
    for personal in ("p-1", "Camille", "demo.maillage.invalid", "Dupont", "p-org", "staff-apmsl"):
        assert personal not in text
    assert "video_link" not in item and "speakers" not in item
    assert client.anonymous().get(f"{A}/{event['id']}").json["id"] == event["id"]


def test_agenda_filters(client, published):
    published(title="Groupe 44")
    published(title="Séminaire 49", kind="seminar", local_group_id=None, department="49",
              starts_at="2031-05-12T09:30:00+02:00", ends_at="2031-05-12T12:30:00+02:00")
    anon = client.anonymous()
    assert [i["title"] for i in anon.get(f"{A}?department=49").json["items"]] == ["Séminaire 49"]
    assert anon.get(f"{A}?kind=local_group_meeting").json["total"] == 1
    assert anon.get(f"{A}?local_group_id=apmsl-44-est").json["total"] == 1
    assert anon.get(f"{A}?federation=apmsl").json["total"] == 2
    assert anon.get(f"{A}?federation=femage").json["total"] == 0
    assert anon.get(f"{A}?from=2031-04-01&to=2031-06-01").json["total"] == 1
    assert anon.get(f"{A}?status=draft").status_code == 422
    assert anon.get(f"{A}?kind[$ne]=x").status_code == 422


def test_drafts_and_unknown_events_are_not_in_the_public_agenda(client, staff, body):
    draft = staff.post(E, json=body()).json
    assert client.anonymous().get(f"{A}/{draft['id']}").status_code == 404


def test_federation_feed_is_icalendar_with_stable_uids_in_paris_time(client, published, staff):
    event = published()
    r = client.anonymous().get(f"{A}/federations/apmsl.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event['id']}@maillage"
    assert vevent.decoded("DTSTART").isoformat() == "2031-03-12T09:30:00+01:00"
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Paris"
    assert "Clisson" in str(vevent["LOCATION"]) and str(vevent["STATUS"]) == "CONFIRMED"
    assert cal.walk("VTIMEZONE")
    staff.patch(f"{E}/{event['id']}", json={"starts_at": "2031-03-13T09:30:00+01:00",
                                              "ends_at": "2031-03-13T12:30:00+01:00"})
    staff.post(f"{E}/{event['id']}/cancel", json={"reason": "faute de participants"})
    [again] = Calendar.from_ical(client.anonymous().get(f"{A}/federations/apmsl.ics").data).walk("VEVENT")
    assert str(again["UID"]) == str(vevent["UID"]) and int(again["SEQUENCE"]) > int(vevent["SEQUENCE"])
    assert str(again["STATUS"]) == "CANCELLED" and "faute de participants" in str(again["DESCRIPTION"])


def test_local_group_feed_lists_only_its_meetings(client, published, events_rt):
    _group(events_rt)
    published(title="Groupe 44 est")
    published(title="Séminaire", kind="seminar", local_group_id=None)
    r = client.anonymous().get(f"{A}/local-groups/apmsl-44-est.ics")
    cal = Calendar.from_ical(r.data)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Groupe 44 est"]
    assert "Groupe local 44 est" in str(cal["X-WR-CALNAME"])
    empty = Calendar.from_ical(client.anonymous().get(f"{A}/local-groups/none.ics").data)
    assert empty.walk("VEVENT") == []
