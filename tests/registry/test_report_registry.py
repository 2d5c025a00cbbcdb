"""The registry section of the activity report: figures computed here from the seed file equal the page, its
XLSX and its PDF; seeded structures are not "created this year"; structures and people as XLSX."""
from __future__ import annotations

from collections import Counter

from services.registry import demo
from services.registry.reports import EMPLOYMENT_LABELS, STATUS_LABELS
from services.registry.store import reference
from shared.clock import today
from shared.report_document import french_number, pdf_text, read_xlsx


def test_structures_and_coordinators_of_the_seeds_are_the_same_in_the_page_the_xlsx_and_the_pdf(runtime, api):
    rt = runtime("registry")
    demo.load(rt)
    network = reference("demo_network")
    staff = api("registry").as_user("apmsl", ["staff"])
    stats = staff.get("/registry/v1/stats", query_string={"year": today().year}).json

    # From the seed file alone (APMSL's MSP are shown labelled, as the demo says; no status given: projet).
    seeded = [s for s in network["structures"] if s["federation"] == "apmsl"]
    cells = Counter((s["department"], s["kind"], s.get("status") or ("labellisee" if s["kind"] == "MSP"
                                                                      else "projet")) for s in seeded)
    coordinators = [p for p in network["demo_people"] if p["federation"] == "apmsl"
                    and any(r["role"] == "coordinator" for r in p["roles"])]
    mix = Counter(p.get("employment_status") or "unknown" for p in coordinators)

    assert {(r["department"], r["kind"], r["status"]): r["count"]
            for r in stats["structures"]["by_kind_status_department"]} == dict(cells)
    assert stats["structures"]["total"] == len(seeded) == 70
    assert stats["structures"]["creation_date_unknown"] == 70
    assert all(g["created"] == 0 for g in stats["growth"])  # not "created this year"
    assert stats["coordinators"]["count"] == len(coordinators)
    assert {r["employment_status"]: r["count"] for r in stats["coordinators"]["status_mix"]} == dict(mix)

    tables = read_xlsx(staff.get("/registry/v1/stats/report.xlsx", query_string={"year": today().year}).data)
    grid = tables["Structures par type, statut et département"]
    assert grid[0] == ["Département", "Type", "Statut", "Structures"]
    assert {(r[0], r[1], r[2]): r[3] for r in grid[1:]} == {(d, k, STATUS_LABELS[s]): n for (d, k, s), n in cells.items()}
    profile = {r[0]: (r[1], r[2]) for r in tables["Profil des coordinateurs : statut"][1:]}
    assert {k: v[0] for k, v in profile.items()} == {EMPLOYMENT_LABELS[k]: n for k, n in mix.items()}
    key = {r[0]: r[1] for r in tables["Chiffres clés du réseau"][1:]}
    assert key["Structures suivies"] == 70 and key["Coordinateurs en poste"] == len(coordinators)

    lines = [line.strip() for line in pdf_text(staff.get("/registry/v1/stats/report.pdf").data).splitlines()]
    for (department, kind, status), n in cells.items():
        assert any(lines[i:i + 4] == [department, kind, STATUS_LABELS[status], french_number(n)]
                   for i in range(len(lines))), (department, kind, status, n)
    for status, n in mix.items():
        share = next(r["share_pct"] for r in stats["coordinators"]["status_mix"] if r["employment_status"] == status)
        assert any(lines[i:i + 3] == [EMPLOYMENT_LABELS[status], french_number(n), french_number(share)]
                   for i in range(len(lines)))


def test_a_structure_counts_in_the_year_of_its_creation_date_only(api):
    staff = api("registry").as_user("apmsl", ["admin"])
    for name, created in (("MSP datée", "2019-04-01"), ("MSP sans date", None)):
        body = {"kind": "MSP", "name": name, "city": "Nantes", "department": "44"}
        if created:
            body["created_on"] = created
        assert staff.post("/registry/v1/structures", json=body).status_code == 201
    stats = staff.get("/registry/v1/stats").json
    assert [(g["year"], g["created"]) for g in stats["growth"]] == [(2019, 1)]
    assert stats["structures"]["creation_date_unknown"] == 1


def test_structures_and_people_export_as_xlsx_with_french_headers(runtime, api):
    demo.load(runtime("registry"))
    staff = api("registry").as_user("apmsl", ["staff"])
    r = staff.get("/registry/v1/exports/structures.xlsx", query_string={"department": "53"})
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    [rows] = read_xlsx(r.data).values()
    assert rows[0][:5] == ["Identifiant", "Fédération", "Type", "Nom", "Statut"]
    assert len(rows) - 1 == 11 and {row[8] for row in rows[1:]} == {"53"}  # « Groupe local 53 », 11 teams
    people = read_xlsx(staff.get("/registry/v1/exports/people.xlsx").data)["Personnes"]
    assert people[0][2:4] == ["Nom", "Prénom"] and len(people) > 50
    assert api("registry").as_user("apmsl", ["coordinator"]).get(
        "/registry/v1/exports/people.xlsx").status_code == 403
