"""Demo data from the seeds, and the figures of `GET /v1/stats`."""
from __future__ import annotations

import datetime as dt

from services.events import demo
from services.events.store import EVENTS
from services.events.worker import registry_projection
from shared.testing import make_event, run_handler

E = "/events/v1/events"
UTC = dt.timezone.utc


def test_demo_loads_the_seed_events_once(events_rt, client):
    first = demo.load(events_rt)
    assert first.startswith("71 events loaded") and "5 upcoming meetings of the local groups" in first
    second = demo.load(events_rt)
    assert second.startswith("0 events loaded, 71 already there") and "0 upcoming meetings" in second
    assert events_rt.db[EVENTS].count_documents({}) == 71 + 5
    chaumont = events_rt.db[EVENTS].find_one({"_id": "femage-2025-12-01-groupe-52"})
    assert chaumont["local_group_id"] == "femage-52" and chaumont["reported"]["attended"] == 8
    marne = events_rt.db[EVENTS].find_one({"_id": "femage-2026-04-03-groupe-51"})
    assert marne["starts_at"] == dt.datetime(2026, 4, 3, 7, 0, tzinfo=UTC) and marne["time_known"] is True
    agenda = client.anonymous().get("/events/v1/agenda?federation=femage&local_group_id=femage-52").json
    assert agenda["total"] == 3  # the two the sources report, and the next one
    upcoming = client.anonymous().get("/events/v1/agenda?federation=femage&when=upcoming").json["items"]
    assert [i["id"] for i in upcoming if i["id"] == "demo-next-femage-52"]
    nxt = events_rt.db[EVENTS].find_one({"_id": "demo-next-femage-52"})
    assert nxt["status"] == "published" and nxt["capacity"] == 25 and nxt["demo_upcoming"] is True
    assert nxt["title"] == "Groupe des coordinateurs du 52 — prochaine rencontre"
    savoie = client.anonymous().get("/events/v1/agenda?department=74&kind=local_group_meeting").json
    assert [i["id"] for i in savoie["items"]] == ["femasaura-2024-03-05-groupe-pairs-73-74"]  # 73/74 in Chambéry
    national = client.as_user(None, ["national"])
    stats = national.get("/events/v1/stats?year=2024&federation=femasaura").json
    assert stats["events_by_kind"]["webinar"] == 2
    assert stats["totals"]["replay_views"] == 369  # 170 + 199, as the 2024 report says
    ouest = national.get("/events/v1/stats?year=2024&federation=femasaura&territory=femasaura-ouest").json
    groups_ouest = ouest["by_territory"][0]
    assert groups_ouest["territory"] == "femasaura-ouest"
    assert groups_ouest["by_kind"]["local_group_meeting"] == 4  # Pontgibaud, Moulins, Thiers, Billom
    assert groups_ouest["attended"] >= 4 + 5 + 2 + 3
    facilitated = [row for row in stats["reported"] if row["section"] == "facilitation_summaries"]
    assert sum(row["facilitations"] for row in facilitated if row["territory"] == "femasaura-ouest") == 35


def test_stats_count_events_registrations_attendance_local_groups_facilitations_and_cancellations(
        staff, client, published, person, clock, events_rt):
    sub = registry_projection()
    run_handler(events_rt, sub, make_event("registry.local_group.created.v1", {
        "id": "apmsl-44-est", "federation": "apmsl", "name": "Groupe local 44 est", "department": "44",
        "structure_ids": ["apmsl-msp-clisson"], "contact_person_ids": [], "version": 1}, subject="apmsl-44-est"))
    members = [person(f"p-{i}") for i in range(4)]  # 4 coordinators of the group's structure
    meeting = published(capacity=10)
    for pid in members[:3]:
        client.as_user("apmsl", ["member"], sub=pid).post(f"{E}/{meeting['id']}/registrations", json={})
    regs = staff.get(f"{E}/{meeting['id']}/registrations").json["items"]
    facilitation = published(kind="facilitation", local_group_id=None, title="Facilitation MSP de Clisson",
                             facilitation={"type": "advice", "structure_ids": ["apmsl-msp-clisson"]})
    cancelled = published(kind="seminar", local_group_id=None, title="Séminaire 44")
    staff.post(f"{E}/{cancelled['id']}/cancel", json={"reason": "faute de participants"})
    clock.set(dt.datetime(2031, 3, 12, 12, tzinfo=UTC))
    staff.post(f"{E}/{meeting['id']}/registrations/{regs[0]['id']}/attendance", json={"status": "attended"})
    staff.post(f"{E}/{meeting['id']}/registrations/{regs[1]['id']}/attendance", json={"status": "attended"})
    staff.post(f"{E}/{meeting['id']}/registrations/{regs[2]['id']}/attendance", json={"status": "absent"})
    staff.post(f"{E}/{meeting['id']}/hold", json={})
    staff.post(f"{E}/{facilitation['id']}/hold", json={})

    r = staff.get("/events/v1/stats?year=2031")
    assert r.status_code == 200, r.json
    stats = r.json
    assert stats["events_by_kind"] == {"facilitation": 1, "local_group_meeting": 1, "seminar": 1}
    assert stats["totals"]["registered"] == 3 and stats["totals"]["attended"] == 2
    assert stats["totals"]["cancelled"] == 1 and stats["totals"]["attendance_rate"] == 0.667
    [group] = stats["local_groups"]
    assert (group["meetings_held"], group["attendees"], group["members_invited"]) == (1, 2, 4)
    assert group["participation_rate"] == 0.5
    assert stats["facilitations"] == [{"department": "44", "type": "advice", "count": 1, "structures": 1}]
    assert stats["cancellations"][0]["reason"] == "faute de participants"
    assert stats["by_department"][0]["department"] == "44"
    assert staff.get("/events/v1/stats?year=2030").json["totals"]["events"] == 0


def test_stats_are_for_staff_and_national_within_their_scope(client, published):
    published()
    assert client.as_user("apmsl", ["member"]).get("/events/v1/stats").status_code == 403
    assert client.anonymous().get("/events/v1/stats").status_code == 401
    assert client.as_user("femage", ["admin"]).get("/events/v1/stats").json["totals"]["events"] == 0
    assert client.as_user("femage", ["admin"]).get("/events/v1/stats?federation=apmsl").status_code == 404
    assert client.as_user(None, ["national"]).get("/events/v1/stats").json["totals"]["events"] == 1
    assert client.as_user("apmsl", ["admin"]).get("/events/v1/stats?year=1800").status_code == 422
    assert client.as_user("apmsl", ["admin"]).get("/events/v1/stats?department=2C").status_code == 422


def test_members_invited_are_those_whose_role_is_active_today_the_end_day_excluded(events_rt, person, clock):
    from services.events.stats import members_invited
    from services.events.store import LOCAL_GROUPS

    clock.set(dt.datetime(2031, 3, 12, 12, tzinfo=UTC))
    role = {"structure_id": "apmsl-msp-clisson", "role": "coordinator", "start_on": "2020-01-01", "end_on": None}
    person("p-ends-today", roles=[{**role, "end_on": "2031-03-12"}])
    person("p-ends-later", roles=[{**role, "end_on": "2031-12-31"}])
    person("p-not-yet", roles=[{**role, "start_on": "2031-04-01"}])
    group = events_rt.db[LOCAL_GROUPS].find_one({"_id": "apmsl-44-est"})
    assert members_invited(events_rt.db, group) == 1  # only p-ends-later
