"""Key figures: kind × status × department, growth per year, the 4000 MSP plan, coordinators' profile."""
from registry_builders import make_person, make_structure


def test_structures_are_counted_by_kind_status_and_department(staff, other_staff):
    make_structure(staff, name="MSP A", status="aci", status_date="2020-05-01", created_on="2018-01-15")
    make_structure(staff, name="MSP B", status="labellisee", status_date="2021-03-01", created_on="2020-02-01")
    make_structure(staff, name="MSP C", department="49", created_on="2020-06-01")
    make_structure(staff, name="CPTS D", kind="CPTS", created_on="2021-09-01")
    gone = make_structure(staff, name="MSP E")
    staff.post(f"/registry/v1/structures/{gone['id']}/archive", json={})
    make_structure(other_staff, name="MSP Troyes", city="Troyes", department="10")
    r = staff.get("/registry/v1/stats")
    assert r.status_code == 200, r.json
    s = r.json["structures"]
    assert s["total"] == 4 and s["by_kind"] == {"MSP": 3, "CPTS": 1}
    assert s["by_status"] == {"aci": 1, "labellisee": 1, "projet": 2}
    assert {"kind": "MSP", "status": "projet", "department": "49", "count": 1} in s["by_kind_status_department"]
    growth = {g["year"]: g for g in r.json["growth"]}
    assert growth[2018]["created"] == 1 and growth[2020]["created"] == 2 and growth[2021]["created"] == 1
    assert growth[2021]["total"] == 4 and growth[2020]["aci"] == 1 and growth[2021]["labellisee"] == 1


def test_progress_against_the_regional_target_of_the_4000_msp_plan(api):
    na = api("registry").as_user("avecsante-na", ["admin"])
    make_structure(na, name="MSP de Lormont", city="Lormont", department="33", status="labellisee")
    make_structure(na, name="MSP de Pau", city="Pau", department="64", status="aci")
    make_structure(na, name="Projet MSP Dax", city="Dax", department="40")
    make_structure(na, name="MSP hors région", city="Nantes", department="44", status="labellisee")
    [target] = na.get("/registry/v1/stats").json["targets"]
    assert target["region"] == "75" and target["target_count"] == 424 and target["baseline_count"] == 300
    assert target["open_msp"] == 2 and target["projects"] == 1 and target["remaining"] == 422
    assert target["target_date"] == "2026-12"


def test_coordinators_profile_counts_current_coordinators_only(staff):
    msp = make_structure(staff)
    make_person(staff, employment_status="health_professional", weekly_coordination_hours=4, coordination_mode="solo",
                roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    make_person(staff, employment_status="employee", weekly_coordination_hours=20, coordination_mode="pair",
                roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    make_person(staff, employment_status="volunteer", weekly_coordination_hours=30)  # no coordinator role
    profile = staff.get("/registry/v1/stats").json["coordinators"]
    assert profile["count"] == 2 and profile["weekly_hours"] == {"known": 2, "mean": 12.0, "min": 4.0, "max": 20.0}
    assert (profile["solo_pct"], profile["pair_pct"]) == (50.0, 50.0)
    assert {m["employment_status"] for m in profile["status_mix"]} == {"health_professional", "employee"}


def test_a_federation_sees_its_own_figures_and_national_any(staff, other_staff, national):
    make_structure(staff)
    assert other_staff.get("/registry/v1/stats").json["structures"]["total"] == 0
    assert other_staff.get("/registry/v1/stats?federation=apmsl").json["structures"]["total"] == 0
    assert national.get("/registry/v1/stats").json["structures"]["total"] == 1
    assert national.get("/registry/v1/stats?federation=femage").json["structures"]["total"] == 0
    assert {t["federation"] for t in national.get("/registry/v1/stats").json["targets"]} == {"avecsante-na",
                                                                                             "femasaura"}
    assert staff.get("/registry/v1/stats?federation=APMSL!").status_code == 422
    assert staff.get("/registry/v1/stats?year=1800").status_code == 422  # a year of the report, in range
    assert staff.anonymous().get("/registry/v1/stats").status_code == 401
