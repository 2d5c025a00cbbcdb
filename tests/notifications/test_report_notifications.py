"""The delivery log filtered by meeting, the reminders armed for a meeting, and the notifications figures
of the activity report (page = XLSX = PDF)."""
from __future__ import annotations

import datetime as dt

import pytest

from services.notifications import dispatcher
from services.notifications.store import DELIVERIES
from shared.report_document import french_number, pdf_text, read_xlsx
from notif_kit import FED, ev, event_data, feed, registration_data

BASE = "/notifications/v1"


@pytest.fixture
def client(api):
    return api("notifications")


def test_the_log_filters_by_meeting_and_the_meetings_reminders_are_listed(client, notif, messages_sub, network, smtp):
    meeting = event_data(audience=network.audience())
    other = event_data(audience=network.audience(), title="Webinaire protocoles")
    feed(notif, messages_sub, ev("events.event.published.v1", meeting), ev("events.event.published.v1", other))
    registration = registration_data(meeting, network.alice)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration))
    dispatcher.dispatch_due(notif.db, notif.settings, "email")

    staff = client.as_user(FED, ["staff"])
    log = staff.get(f"{BASE}/deliveries", query_string={"event_id": meeting["id"], "per_page": 100}).json
    expected = [d for d in notif.db[DELIVERIES].find() if d.get("event_id") == meeting["id"]]
    assert log["total"] == len(expected) >= 2  # its invitations and the registration's confirmation
    assert {i["event_id"] for i in log["items"]} == {meeting["id"]}
    assert "events.registration.confirmed.v1" in {i["event_type"] for i in log["items"]}
    assert staff.get(f"{BASE}/deliveries", query_string={"event_id": other["id"]}).json["total"] < log["total"]

    reminders = staff.get(f"{BASE}/reminders", query_string={"event_id": meeting["id"]})
    assert reminders.status_code == 200, reminders.json
    assert reminders.json and {r["status"] for r in reminders.json} == {"pending"}
    assert all(dt.datetime.fromisoformat(r["fire_at"]) < dt.datetime.fromisoformat(meeting["starts_at"])
               for r in reminders.json)
    bad = staff.get(f"{BASE}/reminders")
    assert bad.status_code == 422 and "event_id" in str(bad.json)
    assert client.as_user(FED, ["member"]).get(f"{BASE}/reminders?event_id=x").status_code == 403

    # The figures of the year, the same in the page, the XLSX and the PDF.
    year = dt.date.today().year
    stats = staff.get(f"{BASE}/stats", query_string={"year": year}).json
    docs = list(notif.db[DELIVERIES].find({"federation": FED, "channel": "email"}))
    assert stats["emails"]["total"] == len(docs)
    assert stats["emails"]["sent"] == sum(d["status"] == "sent" for d in docs) > 0
    assert stats["reminders"]["pending"] == len(reminders.json)
    key = {r[0]: r[1] for r in read_xlsx(staff.get(f"{BASE}/stats/report.xlsx", query_string={"year": year}).data)[
        "Chiffres clés des notifications"][1:]}
    assert key["E-mails"] == stats["emails"]["total"] and key["E-mails envoyés"] == stats["emails"]["sent"]
    assert key["Rappels programmés"] == stats["reminders"]["pending"]
    lines = [x.strip() for x in pdf_text(staff.get(f"{BASE}/stats/report.pdf", query_string={"year": year}).data)
             .splitlines()]
    i = lines.index("E-mails envoyés")
    assert lines[i + 1] == french_number(stats["emails"]["sent"])
