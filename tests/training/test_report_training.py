"""The training section of the activity report (figures from the seed file = page = XLSX = PDF), withdrawals
and certificates counted, and the certificate PDF whose QR code is the public verification URL."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from pypdf import PdfReader

from services.training import demo, rules
from services.training.certificate_pdf import qr_matrix
from services.training.store import CERTIFICATES
from shared.report_document import french_number, pdf_text, read_xlsx

SEEDS = json.loads((Path(demo.__file__).parent / "data" / "demo_training.json").read_text(encoding="utf-8"))
Q = {"year": 2024, "federation": "femasaura"}


def test_femasaura_2024_learners_per_programme_and_cohort_are_the_seeds_everywhere(training):
    demo.load(training.rt)
    national = training.api.as_user(None, ["national"])
    stats = national.get("/training/v1/stats", query_string=Q).json

    # From the seed file alone: cohorts that ran in 2024 and their head counts.
    def ran_in_2024(c):
        return str(c.get("started") or "")[:4] <= "2024" and c.get("status") != "announced"
    expected = {c["id"]: c["learners"] for c in SEEDS["cohorts"] if c["federation"] == "femasaura" and ran_in_2024(c)}
    expected.update({t["id"]: t["participants"] for t in SEEDS["training_sessions"] if t.get("year") == 2024})
    assert {c["cohort_id"]: c["learners"] for c in stats["cohorts"]} == expected
    pacte_msp = sum(n for cid, n in expected.items() if "pacte-msp" in cid)
    assert pacte_msp == 38  # « 38 formés PACTE MSP »
    assert stats["totals"]["learners"] == sum(expected.values())
    assert stats["totals"]["withdrawn"] == 0 and stats["totals"]["certified"] == 0

    tables = read_xlsx(national.get("/training/v1/stats/report.xlsx", query_string=Q).data)
    per_cohort = tables["Apprenants par programme et par promotion"]
    assert per_cohort[0][:6] == ["Programme", "Promotion", "Statut", "Places", "Candidatures", "Apprenants"]
    by_name = {c["cohort"]: c["learners"] for c in stats["cohorts"]}
    assert {r[1]: r[5] for r in per_cohort[1:]} == by_name
    key = {r[0]: r[1] for r in tables["Chiffres clés de la formation"][1:]}
    assert key["Apprenants"] == stats["totals"]["learners"] and key["Abandons d'apprenants"] == 0
    trained = {(r[0], r[1]): r[2] for r in tables["Formés par programme et par année"][1:]}
    assert trained[("PACTE MSP", 2024)] == 38

    pdf = national.get("/training/v1/stats/report.pdf", query_string=Q)
    lines = [line.strip() for line in pdf_text(pdf.data).splitlines()]
    assert "Apprenants par programme et par promotion" in lines
    assert french_number(stats["totals"]["learners"]) in lines
    for cohort in stats["cohorts"]:
        assert french_number(cohort["learners"]) in lines


def test_a_withdrawn_learner_is_counted(training):
    cohort, apps, people, _ = training.running_cohort(seats=2)
    learner_id = training.learner_of(apps[0]["id"])
    r = training.staff().post(f"/training/v1/learners/{learner_id}/withdraw", json={"reason": "Départ de la MSP"})
    assert r.status_code == 200, r.json
    stats = training.staff().get("/training/v1/stats").json
    [row] = [c for c in stats["cohorts"] if c["cohort_id"] == cohort["id"]]
    assert (row["withdrawn"], row["learners"]) == (1, 1) and stats["totals"]["withdrawn"] == 1
    key = {r[0]: r[1] for r in read_xlsx(training.staff().get("/training/v1/stats/report.xlsx").data)[
        "Chiffres clés de la formation"][1:]}
    assert key["Abandons d'apprenants"] == 1


def _certificate(training, federation="femasaura", person_id="p-holder") -> str:
    code = rules.certificate_code("pacte-msp")
    training.rt.db[CERTIFICATES].insert_one({
        "_id": code, "federation": federation, "learner_id": "l-1", "person_id": person_id,
        "holder_name": "Camille Guérin", "programme_code": "pacte-msp", "programme_name": "PACTE MSP",
        "certification": "diplôme de l'EHESP", "cohort_name": "PACTE MSP — promotion n°8", "cohort_number": 8,
        "issued_on": dt.datetime(2025, 6, 1), "issued_by": "staff-1", "created_at": dt.datetime(2025, 6, 1)})
    return code


def _qr_modules(pdf: bytes) -> list[list[int]]:
    """Read the QR image of the PDF back into modules (1 = dark)."""
    [image] = PdfReader(io.BytesIO(pdf)).pages[0].images
    picture = image.image.convert("L")
    modules = picture.width // 10  # QR_SCALE pixels per module
    size = modules - 8  # without the 4-module quiet zone on each side
    return [[1 if picture.getpixel(((c + 4) * 10 + 5, (r + 4) * 10 + 5)) < 128 else 0 for c in range(size)]
            for r in range(size)]


def test_the_certificate_pdf_has_a_qr_code_opening_the_public_verification_page(training):
    code = _certificate(training)
    r = training.api.as_user("femasaura", ["staff"]).get(f"/training/v1/certificates/{code}/document.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    url = f"http://maillage.test/certificats/{code}"  # PUBLIC_BASE_URL + the console's route (web/ROUTES.md)
    text = pdf_text(r.data)
    assert "Attestation de formation" in text and "Camille Guérin" in text and "PACTE MSP" in text
    assert "1er juin 2025" in text and url in text
    assert _qr_modules(r.data) == qr_matrix(url)
    # The holder downloads theirs; another federation, or another member, learns nothing.
    assert training.api.as_user("femasaura", ["coordinator"], sub="p-holder").get(
        f"/training/v1/certificates/{code}/document.pdf").status_code == 200
    assert training.api.as_user("femasaura", ["coordinator"], sub="p-other").get(
        f"/training/v1/certificates/{code}/document.pdf").status_code == 404
    assert training.api.as_user("apmsl", ["staff"]).get(
        f"/training/v1/certificates/{code}/document.pdf").status_code == 404
    assert training.api.anonymous().get(f"/training/v1/certificates/{code}/document.pdf").status_code == 401
