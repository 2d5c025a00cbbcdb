"""A report as tables (title, French headers, rows), rendered to XLSX (openpyxl) and to a printable PDF
(ReportLab): what a service exports of its figures, so the page, the spreadsheet and the PDF carry the same
numbers — every cell comes from the one `Report` built from the service's JSON.

Rates are fractions (0.857) in the JSON and the XLSX (shown as a percentage there), "85,7 %" in the PDF;
a missing figure is "n/a" in both, with its reason in the row when there is one.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

NOT_AVAILABLE = "n/a"


@dataclass(frozen=True)
class Rate:
    """A fraction shown as a percentage (None: not available)."""
    value: float | None


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str | None = None


@dataclass
class Report:
    title: str
    subtitle: str | None = None
    tables: list[Table] = field(default_factory=list)


def french_number(value) -> str:
    """How a cell reads in the PDF: 1 234, 85,7 %, n/a, 12/03/2024."""
    if isinstance(value, Rate):
        if value.value is None:
            return NOT_AVAILABLE
        return f"{value.value * 100:.1f}".replace(".", ",") + " %"
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- XLSX ---------------------------------------------------------------------------------------------

def _sheet_name(title: str, taken: set[str]) -> str:
    base = "".join("-" if c in "[]:*?/\\" else c for c in title)[:28].strip() or "Feuille"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:25]} {n}", n + 1
    taken.add(name.lower())
    return name


def _cell_value(value):
    if isinstance(value, Rate):
        return NOT_AVAILABLE if value.value is None else value.value
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula
    return value


def to_xlsx(report: Report) -> bytes:
    """One sheet per table: its title in A1, an optional note in A2, headers on row 3, rows below."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = report.title
    taken: set[str] = set()
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet["A1"] = table.title
        sheet["A1"].font = Font(bold=True, size=13)
        if table.note:
            sheet["A2"] = table.note
            sheet["A2"].font = Font(italic=True)
        for col, header in enumerate(table.columns, start=1):
            sheet.cell(row=3, column=col, value=header).font = Font(bold=True)
        for r, row in enumerate(table.rows, start=4):
            for col, value in enumerate(row, start=1):
                target = sheet.cell(row=r, column=col, value=_cell_value(value))
                if isinstance(value, Rate) and value.value is not None:
                    target.number_format = "0.0%"
                elif isinstance(value, dt.date):
                    target.number_format = "DD/MM/YYYY"
        for col, header in enumerate(table.columns, start=1):
            width = max([len(str(header))] + [len(french_number(r[col - 1])) for r in table.rows if len(r) >= col])
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A4"
    if not report.tables:
        book.create_sheet("Rapport")["A1"] = report.title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> dict[str, list[list]]:
    """The tables of an XLSX written by `to_xlsx`, by their title: header row first (tests, imports)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    tables = {}
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        tables[rows[0][0]] = [r for r in rows[2:] if any(v is not None for v in r)]
    return tables


# --- PDF ----------------------------------------------------------------------------------------------

def to_pdf(report: Report, *, landscape_pages: bool = False) -> bytes:
    """A4, the report's title, then each table with its title and note; long tables split across pages
    with their header repeated."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    head = cell.clone("head", fontName="Helvetica-Bold")
    out = io.BytesIO()
    size = landscape(A4) if landscape_pages else A4
    doc = SimpleDocTemplate(out, pagesize=size, title=report.title, author="Maillage",
                            leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm)
    story = [Paragraph(_escape(report.title), styles["Title"])]
    if report.subtitle:
        story.append(Paragraph(_escape(report.subtitle), styles["Italic"]))
    for table in report.tables:
        story += [Spacer(1, 0.4 * cm), Paragraph(_escape(table.title), styles["Heading2"])]
        if table.note:
            story.append(Paragraph(_escape(table.note), styles["Italic"]))
        if not table.rows:
            story.append(Paragraph("Aucune donnée pour cette période.", styles["BodyText"]))
            continue
        data = [[Paragraph(_escape(h), head) for h in table.columns]]
        data += [[Paragraph(_escape(french_number(v)), cell) for v in row] for row in table.rows]
        grid = LongTable(data, repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(grid)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, doc.bottomMargin / 2, f"Page {doc.page}")
    canvas.restoreState()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_text(data: bytes) -> str:
    """The text of a PDF (tests read back what the PDF says)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
