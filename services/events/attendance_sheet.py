"""The attendance sheet (*feuille d'émargement*) of an in-person meeting, as a printable PDF: the meeting,
its place and date, then one line per registrant (name, structure, a box to sign) and blank lines for
those who come without registering."""
from __future__ import annotations

import io

from services.events import rules
from services.events.exports import registrants, staff_event
from services.events.ical import KIND_LABELS
from shared.errors import RuleBroken
from shared.http.auth import Principal

BLANK_LINES = 5


def attendance_sheet_pdf(db, principal: Principal, event_id: str) -> bytes:
    event = staff_event(db, principal, event_id)
    if event.get("format") not in ("in_person", "hybrid"):
        raise RuleBroken("La feuille d'émargement concerne les rencontres en présentiel.", "format")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    local = rules.local_times(event)
    start, end = local["starts_at_local"], local["ends_at_local"]
    venue = event.get("venue") or {}
    place = ", ".join(p for p in (venue.get("name"), venue.get("address"), venue.get("postal_code"),
                                  venue.get("city")) if p)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"Feuille d'émargement — {event['title']}", author="Maillage",
                            leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm)
    story = [Paragraph("Feuille d'émargement", styles["Title"]),
             Paragraph(_esc(event["title"]), styles["Heading2"]),
             Paragraph(_esc(f"{KIND_LABELS.get(event['kind'], event['kind'])} — le {start.strftime('%d/%m/%Y')} "
                            f"de {start.strftime('%H:%M')} à {end.strftime('%H:%M')}"), styles["BodyText"])]
    if place:
        story.append(Paragraph(_esc(f"Lieu : {place}"), styles["BodyText"]))
    story.append(Spacer(1, 0.5 * cm))
    rows = [[Paragraph(h, cell) for h in ("Nom", "Prénom", "Structure", "Signature")]]
    for r in registrants(db, event_id, rules.SEATED):
        rows.append([Paragraph(_esc(r.get("last_name") or ""), cell), Paragraph(_esc(r.get("first_name") or ""), cell),
                     Paragraph(_esc(r.get("structure") or ""), cell), ""])
    rows += [["", "", "", ""] for _ in range(BLANK_LINES)]
    table = LongTable(rows, colWidths=[4 * cm, 3.5 * cm, 5.5 * cm, 5 * cm], rowHeights=[None] + [1.1 * cm] * (len(rows) - 1),
                      repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [table, Spacer(1, 0.5 * cm),
              Paragraph("Signature de l'organisateur :", styles["BodyText"])]
    doc.build(story)
    return out.getvalue()


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
