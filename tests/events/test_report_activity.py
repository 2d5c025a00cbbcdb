"""The events section of the activity report: figures computed here from the seed file, independently of
the service, equal `GET /v1/stats`, its XLSX and its PDF."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from services.events import demo
from shared.report_document import french_number, pdf_text, read_xlsx, Rate

SEEDS = json.loads((Path(demo.__file__).parent / "data" / "demo_events.json").read_text(encoding="utf-8"))
Q = {"year": 2024, "federation": "femasaura"}


def seeded(federation: str, year: int) -> list[dict]:
    return [e for e in SEEDS["events"] if e["federation"] == federation and e["start"][:4] == str(year)]


def consecutive(lines: list[str], cells: list) -> bool:
    wanted = [french_number(c) for c in cells]
    return any(lines[i:i + len(wanted)] == wanted for i in range(len(lines)))


def test_femasaura_2024_figures_are_the_seeds_in_the_page_the_xlsx_and_the_pdf(events_rt, client):
    demo.load(events_rt)
    national = client.as_user(None, ["national"])
    stats = national.get("/events/v1/stats", query_string=Q).json
    events = seeded("femasaura", 2024)

    # Computed from the seed file alone.
    kinds = Counter(e["kind"] for e in events)
    both = [e["figures"] for e in events if "registered" in e["figures"] and "attended" in e["figures"]]
    rate = round(sum(f["attended"] for f in both) / sum(f["registered"] for f in both), 3)
    days = [(e["figures"].get("registered"), e["figures"].get("attended"))
            for e in sorted(events, key=lambda e: e["start"]) if e["kind"] == "regional_day"]
    webinars = [(e["figures"]["attended"], e["figures"]["replay_views"])
                for e in sorted(events, key=lambda e: e["start"]) if e["kind"] == "webinar"]
    held_by_territory = Counter((e["territory"], e["kind"]) for e in events if e.get("territory")
                                and e["status"] == "held")

    assert stats["events_by_kind"] == dict(kinds)
    assert stats["totals"]["attendance_rate"] == rate == 0.857  # 240 present / 280 registered, not 198 %
    assert [(d["registered"], d["attended"]) for d in stats["regional_days"]] == days
    assert (280, 240) in days and (None, 55) in days
    assert [(w["participants"], w["replay_views"]) for w in stats["webinars"]] == webinars == [(43, 170), (49, 199)]
    assert stats["webinar_totals"] == {"webinars": 2, "participants": 92, "replay_views": 369}  # as reported
    assert {(row["territory"], k): n for row in stats["by_territory"]
            for k, n in row["held_by_kind"].items()} == dict(held_by_territory)
    assert sum(held_by_territory.values()) == 19  # « 19 rencontres entre coordinateurs au niveau local »
    assert stats["totals"]["cancelled"] == stats["totals"]["cancelled_lack_of_participants"] == 0

    xlsx = national.get("/events/v1/stats/report.xlsx", query_string=Q)
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    tables = read_xlsx(xlsx.data)
    key = {row[0]: row[1] for row in tables["Chiffres clés des événements"][1:]}
    assert key["Taux de présence (inscrits et présents connus)"] == stats["totals"]["attendance_rate"]
    assert key["Vues en replay"] == stats["totals"]["replay_views"] == 369
    assert key["Événements (hors brouillons)"] == stats["totals"]["events"]
    web = tables["Webinaires : participants et vues en replay"]
    assert web[0] == ["Webinaire", "Date", "Participants", "Vues en replay"]
    assert [tuple(r[2:]) for r in web[1:]] == webinars + [(92, 369)]
    regional = tables["Journées régionales : inscrits et présents"]
    na = lambda v: "n/a" if v is None else v  # noqa: E731
    assert [(r[3], r[4]) for r in regional[1:]] == [(na(a), na(b)) for a, b in days]
    held = {(r[0], r[1]): r[2] for r in tables["Rencontres tenues par type et territoire"][1:]}
    assert sum(held.values()) == 19

    pdf = national.get("/events/v1/stats/report.pdf", query_string=Q)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    lines = [line.strip() for line in pdf_text(pdf.data).splitlines()]
    assert consecutive(lines, ["Taux de présence (inscrits et présents connus)", Rate(0.857)])
    assert "85,7 %" in lines
    assert consecutive(lines, [280, 240, Rate(0.857)])
    for participants, views in webinars:
        assert consecutive(lines, [participants, views])
    assert consecutive(lines, ["Total", 92, 369])


def test_a_cancelled_meeting_is_counted_apart_and_its_groups_rate_is_na_with_the_reason(
        staff, client, published, events_rt):
    meeting = published(title="Groupe local 44 est — annulé")
    staff.post(f"/events/v1/events/{meeting['id']}/cancel", json={"reason": "Faute de participants"})
    stats = staff.get("/events/v1/stats", query_string={"year": 2031}).json
    assert stats["totals"]["cancelled_lack_of_participants"] == 1
    [group] = [g for g in stats["local_groups"] if g["local_group_id"] == "apmsl-44-est"]
    assert group["participation_rate"] is None and group["meetings_cancelled"] == 1
    assert group["rate_unavailable_reason"] == "rencontre annulée (Faute de participants)"
    tables = read_xlsx(staff.get("/events/v1/stats/report.xlsx", query_string={"year": 2031}).data)
    [row] = tables["Participation par groupe local"][1:]
    assert row[5] == "n/a" and row[6] == "rencontre annulée (Faute de participants)"
    lines = pdf_text(staff.get("/events/v1/stats/report.pdf", query_string={"year": 2031}).data).splitlines()
    assert "n/a" in [line.strip() for line in lines]


def test_report_files_are_for_staff_and_check_their_query(client):
    assert client.as_user("apmsl", ["member"]).get("/events/v1/stats/report.pdf").status_code == 403
    assert client.anonymous().get("/events/v1/stats/report.xlsx").status_code == 401
    bad = client.as_user("apmsl", ["admin"]).get("/events/v1/stats/report.xlsx?year=1800")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json" and "year" in str(bad.json)
    assert client.as_user("femage", ["admin"]).get("/events/v1/stats/report.pdf?federation=apmsl").status_code == 404
