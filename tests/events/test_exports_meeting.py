"""A meeting's staff documents: registrants and attendance as XLSX (parsed back), the attendance sheet PDF
(text read back), the check-in by name, and the go / no-go board."""
from __future__ import annotations

import datetime as dt

from shared.report_document import pdf_text, read_xlsx

E = "/events/v1/events"
UTC = dt.timezone.utc


def test_staff_check_one_in_by_name_and_export_registrants_attendance_and_the_sheet(
        staff, client, published, person, clock):
    meeting = published(title="Groupe local 44 est — protocoles")
    for pid, first, last in (("p-1", "Camille", "Guérin"), ("p-2", "Léo", "Durand")):
        person(pid, first_name=first, last_name=last)
        r = client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{meeting['id']}/registrations", json={})
        assert r.status_code == 201, r.json

    clock.set(dt.datetime(2031, 3, 12, 8, 45, tzinfo=UTC))  # at the door
    [match] = staff.get(f"{E}/{meeting['id']}/check-in", query_string={"q": "guer"}).json
    assert (match["first_name"], match["last_name"], match["status"]) == ("Camille", "Guérin", "registered")
    assert match["structure"] == "MSP de Clisson"
    assert staff.get(f"{E}/{meeting['id']}/check-in", query_string={"q": "camille gu"}).json[0]["last_name"] == "Guérin"
    assert staff.get(f"{E}/{meeting['id']}/check-in", query_string={"q": "zoé"}).json == []
    r = staff.post(f"{E}/{meeting['id']}/registrations/{match['registration_id']}/attendance",
                   json={"status": "attended"})
    assert r.status_code == 200, r.json

    registrants = read_xlsx(staff.get(f"{E}/{meeting['id']}/registrants.xlsx").data)["Inscrits"]
    assert registrants[0] == ["Nom", "Prénom", "E-mail", "Structure", "Statut", "Rang en liste d'attente",
                              "Origine", "Inscrit le"]
    assert [(row[0], row[1], row[4]) for row in registrants[1:]] == [("Durand", "Léo", "inscrit"),
                                                                     ("Guérin", "Camille", "présent")]
    attendance = staff.get(f"{E}/{meeting['id']}/attendance.xlsx")
    assert attendance.status_code == 200 and "presences-" in attendance.headers["Content-Disposition"]
    rows = read_xlsx(attendance.data)["Présences"]
    assert rows[0] == ["Nom", "Prénom", "Structure", "Présence", "Pointé le"]
    assert [(row[0], row[3]) for row in rows[1:]] == [("Durand", "non pointé"), ("Guérin", "présent")]
    assert rows[2][4] == dt.datetime(2031, 3, 12, 9, 45)  # Paris time

    sheet = staff.get(f"{E}/{meeting['id']}/attendance-sheet.pdf")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    text = pdf_text(sheet.data)
    assert "Feuille d'émargement" in text and "Groupe local 44 est — protocoles" in text
    assert "le 12/03/2031 de 09:30 à 12:30" in text and "MSP de Clisson" in text
    assert "Guérin" in text and "Durand" in text and "Signature" in text

    assert client.as_user("apmsl", ["member"]).get(f"{E}/{meeting['id']}/registrants.xlsx").status_code == 403
    assert client.as_user("femage", ["admin"]).get(f"{E}/{meeting['id']}/attendance.xlsx").status_code == 404
    bad = staff.get(f"{E}/{meeting['id']}/check-in")
    assert bad.status_code == 422 and "q" in str(bad.json)


def test_no_attendance_sheet_for_a_webinar(staff, published):
    webinar = published(kind="webinar", format="video", venue=None, local_group_id=None,
                        video_link="https://visio.example.org/abc")
    r = staff.get(f"{E}/{webinar['id']}/attendance-sheet.pdf")
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert "format" in str(r.json)


def test_the_go_no_go_board_shows_the_verdict_ahead(staff, client, published, person, clock):
    short = published(title="Séminaire 44", kind="seminar", local_group_id=None, min_participants=3,
                      minimum_deadline="2031-03-01T00:00:00+01:00")
    enough = published(title="Groupe local 44 est — mars", min_participants=1)
    client.as_user("apmsl", ["member"], sub=person("p-1")).post(f"{E}/{enough['id']}/registrations", json={})
    clock.set(dt.datetime(2031, 2, 20, tzinfo=UTC))
    board = {row["event_id"]: row for row in staff.get(f"{E}/go-no-go").json}
    assert board[short["id"]]["status"] == "at_risk" and board[short["id"]]["missing"] == 3
    assert board[short["id"]]["days_left"] == 8
    assert board[enough["id"]]["status"] == "go"
    clock.set(dt.datetime(2031, 3, 2, tzinfo=UTC))
    assert {row["event_id"]: row["status"] for row in staff.get(f"{E}/go-no-go").json}[short["id"]] == "no_go"
    assert client.as_user("apmsl", ["member"]).get(f"{E}/go-no-go").status_code == 403
