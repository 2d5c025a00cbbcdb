"""A certificate as a printable PDF (ReportLab) with a QR code (segno) that opens the console's public
verification page, `PUBLIC_BASE_URL` + `/certificats/<code>` (web/ROUTES.md).

Who may download it: the federation's staff, national readers, and the holder (token `sub` = their
registry person id). Anyone else gets the 404 an unknown code gets.
"""
from __future__ import annotations

import io
import re

from services.training import rules
from services.training.store import CERTIFICATES
from shared.dates import as_date
from shared.errors import NotFound
from shared.http.auth import Principal

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def console_verification_url(settings, code: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/certificats/{code}"


def qr_matrix(url: str) -> list[list[int]]:
    """The QR code's modules (1 = dark), quiet zone excluded: what the PDF draws, and what a test compares."""
    import segno

    return [list(row) for row in segno.make(url, error="m", micro=False).matrix]


def _readable(db, principal: Principal, code: str) -> dict:
    code = code.strip().upper()
    doc = db[CERTIFICATES].find_one({"_id": code}) if re.fullmatch(rules.CODE_PATTERN, code) else None
    if doc is None or not (principal.can_read(doc["federation"]) and (
            principal.is_staff or principal.is_national or principal.sub == doc.get("person_id"))):
        raise NotFound("certificate")
    return doc


def french_date(value) -> str:
    day = as_date(value)
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}" if day else ""


def certificate_pdf(db, settings, principal: Principal, code: str) -> bytes:
    doc = _readable(db, principal, code)
    url = console_verification_url(settings, doc["_id"])
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"Attestation {doc['_id']}")
    pdf.setAuthor("Maillage")
    pdf.setLineWidth(2)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 4 * cm, "Attestation de formation")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 5.5 * cm, "Nous attestons que")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 7 * cm, doc.get("holder_name") or "")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 8.5 * cm, "a suivi et validé la formation")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, height - 9.7 * cm, doc["programme_name"])
    pdf.setFont("Helvetica", 12)
    lines = [f"Promotion : {doc['cohort_name']}"]
    if doc.get("certification"):
        lines.append(f"Certification : {doc['certification']}")
    lines.append(f"Délivrée le {french_date(doc['issued_on'])}")
    for n, line in enumerate(lines):
        pdf.drawCentredString(width / 2, height - (11 + 0.7 * n) * cm, line)
    _draw_qr(pdf, url, x=width - 7 * cm, y=2 * cm, size=4.5 * cm)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(2 * cm, 3.2 * cm, f"Code de vérification : {doc['_id']}")
    pdf.drawString(2 * cm, 2.6 * cm, f"Vérifier cette attestation : {url}")
    pdf.linkURL(url, (width - 7 * cm, 2 * cm, width - 2.5 * cm, 6.5 * cm))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


QR_SCALE = 10  # pixels per module in the embedded PNG
QR_BORDER = 4  # the quiet zone, in modules


def qr_png(url: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


def _draw_qr(pdf, url: str, *, x: float, y: float, size: float) -> None:
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), x, y, width=size, height=size)
