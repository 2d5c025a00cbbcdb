"""`maillage seed`: the seeds' programmes and promotions, idempotent, and the report's figures."""
from __future__ import annotations

from services.training import demo


def test_the_demo_loads_once_and_gives_the_reports_2024_figures(training):
    first = demo.load(training.rt)
    assert first.startswith("5 programmes, 7 cohorts, 3 seminars added")
    assert demo.load(training.rt).startswith("0 programmes, 0 cohorts, 0 seminars added")

    staff = training.staff()
    cohorts = staff.get("/training/v1/cohorts", query_string={"per_page": 50}).json["items"]
    promo8 = next(c for c in cohorts if c["id"] == "femasaura-pacte-msp-promo-8")
    assert (promo8["city"], promo8["seats"], promo8["status"]) == ("Clermont-Ferrand", 18, "in_progress")
    assert {m["body"] for m in promo8["committee"]["members"]} == {"federation", "ars"}
    seminars = staff.get(f"/training/v1/cohorts/{promo8['id']}/seminars").json["items"]
    assert seminars[0]["theme"] == "Prise de poste" and seminars[0]["starts_on"] == "2024-06-20"

    trained = {(r["programme"], r["year"]): r["learners"]
               for r in staff.get("/training/v1/stats", query_string={"year": 2024}).json["trained"]}
    assert trained[("pacte-msp", 2024)] == 38
    assert trained[("pacte-cpts", 2024)] == 21
    assert trained[("sisa-co-gerants", 2024)] == 145
    assert trained[("gouvernance-cpts", 2024)] == 28
    apmsl = training.api.as_user("apmsl", ["staff"]).get("/training/v1/programmes").json
    assert [p["code"] for p in apmsl["items"]] == ["pacte-msp"]
