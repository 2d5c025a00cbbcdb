"""The whole platform on the real broker, store and an SMTP server, every worker running:
registry → (events, notifications projections) → an event published to a local group → invitations
with .ics → a registration → a reschedule updating the same calendar entry → an erasure purging
everywhere."""
from __future__ import annotations

import contextlib

import icalendar
import pytest

from shared.testing import running_worker, wait_until

E = "/events/v1/events"


@pytest.fixture
def settings(settings, smtp):
    return settings.replace(smtp_url=smtp.url, outbox_poll_seconds=0.2)


def calendar_of(message) -> icalendar.Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError(f"no .ics in {message['Subject']!r}")


def test_an_event_for_a_local_group_reaches_its_members_and_follows_them_until_erasure(api, runtime, smtp):
    registry = api("registry").as_user("apmsl", ["admin"], sub="staff-apmsl")
    events_staff = api("events").as_user("apmsl", ["admin"], sub="staff-apmsl")
    services = [runtime(name) for name in ("registry", "events", "notifications")]
    with contextlib.ExitStack() as stack:
        for rt in services:
            stack.enter_context(running_worker(rt))

        clisson = registry.post("/registry/v1/structures", json={
            "kind": "MSP", "name": "Pôle Santé Clisson", "city": "Clisson", "department": "44"}).json
        vertou = registry.post("/registry/v1/structures", json={
            "kind": "MSP", "name": "MSP de Vertou", "city": "Vertou", "department": "44"}).json
        people = [registry.post("/registry/v1/people", json={
            "first_name": first, "last_name": last, "email": f"{first.lower()}@example.org",
            "roles": [{"role": "coordinator", "structure_id": sid, "start_on": "2022-01-03"}]}).json
            for first, last, sid in (("Camille", "Guérin", clisson["id"]), ("Yanis", "Brun", vertou["id"]))]
        group = registry.post("/registry/v1/local-groups", json={
            "name": "44 est", "department": "44", "structure_ids": [clisson["id"], vertou["id"]]}).json
        assert all("id" in p for p in people) and "id" in group, (people, group)

        def projected(db):
            return db.people.count_documents({"_id": {"$in": [p["id"] for p in people]}}) == 2
        wait_until(lambda: projected(runtime("events").db) and projected(runtime("notifications").db),
                   timeout=20, message="people projected by events and notifications")
        # An event may only name a local group the events service knows (else 422 "not known yet, retry later").
        wait_until(lambda: runtime("events").db.local_groups.find_one({"_id": group["id"]}), timeout=20,
                   message="local group projected by events")

        event = events_staff.post(E, json={
            "kind": "local_group_meeting", "title": "Groupe local 44 est — protocoles de coopération",
            "starts_at": "2031-03-12T09:30:00+01:00", "ends_at": "2031-03-12T12:30:00+01:00",
            "format": "in_person", "department": "44", "local_group_id": group["id"], "capacity": 12,
            "venue": {"name": "Pôle Santé Clisson", "address": "1 rue de la Gare", "postal_code": "44190",
                      "city": "Clisson", "department": "44"},
            "audience": {"local_group_ids": [group["id"]], "structure_kinds": [], "roles": []}}).json
        assert events_staff.post(f"{E}/{event['id']}/publish", json={}).status_code == 200

        invitations = wait_until(lambda: [smtp.sink.to(p["email"]) for p in people]
                                 if all(smtp.sink.to(p["email"]) for p in people) else None,
                                 timeout=20, message="an invitation to each member")
        first_ics = [calendar_of(messages[0]) for messages in invitations]
        uid = str(first_ics[0].walk("VEVENT")[0]["UID"])
        assert str(first_ics[1].walk("VEVENT")[0]["UID"]) == uid
        assert str(first_ics[0]["METHOD"]) == "REQUEST"

        camille = api("events").as_user("apmsl", ["coordinator"], sub=people[0]["id"])
        registration = camille.post(f"{E}/{event['id']}/registrations", json={})
        assert registration.status_code == 201, registration.json
        wait_until(lambda: len(smtp.sink.to(people[0]["email"])) >= 2, timeout=20, message="a confirmation")

        current = events_staff.get(f"{E}/{event['id']}")
        moved = events_staff.patch(f"{E}/{event['id']}", headers={"If-Match": current.headers["ETag"]}, json={
            "starts_at": "2031-03-19T09:30:00+01:00", "ends_at": "2031-03-19T12:30:00+01:00"})
        assert moved.status_code == 200, moved.json

        def rescheduled():
            for message in smtp.sink.to(people[0]["email"]):
                try:
                    vevent = calendar_of(message).walk("VEVENT")[0]
                except AssertionError:
                    continue
                if vevent.decoded("DTSTART").day == 19:
                    return vevent
            return None
        vevent = wait_until(rescheduled, timeout=20, message="an updated .ics for the new date")
        assert str(vevent["UID"]) == uid and int(vevent["SEQUENCE"]) > int(first_ics[0].walk("VEVENT")[0]["SEQUENCE"])

        notifications = runtime("notifications").db
        hers = [d["_id"] for d in notifications.deliveries.find({"person_id": people[0]["id"]})]
        assert len(hers) >= 3  # invitation, confirmation, reschedule
        assert registry.post(f"/registry/v1/people/{people[0]['id']}/erase").status_code == 200
        wait_until(lambda: runtime("events").db.registrations.find_one(
            {"_id": registration.json["id"], "email": None}), timeout=20, message="registration purged")
        wait_until(lambda: notifications.deliveries.count_documents(
            {"_id": {"$in": hers}, "erased": True, "recipient": {"$exists": False}}) == len(hers),
            timeout=20, message="delivery log purged of her address")
