"""Reads back what the back-office e2e test downloaded (web/e2e/staff.mjs runs it with the project's venv):
`xlsx FILE` prints every sheet's rows, `pdf FILE` its text and its first image as raw RGBA (for the QR code).
Uses the project's own read-back helpers (openpyxl, pypdf), so the files are parsed as any client would."""
from __future__ import annotations

import base64
import io
import json
import sys


def xlsx(path: str) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    return {sheet.title: [[cell for cell in row] for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def pdf(path: str) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    image = None
    for page in reader.pages:
        for found in page.images:
            picture = found.image.convert("RGBA")
            image = {"width": picture.width, "height": picture.height,
                     "rgba": base64.b64encode(picture.tobytes()).decode("ascii")}
            break
        if image:
            break
    return {"pages": len(reader.pages), "text": text, "image": image}


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print(json.dumps({"xlsx": xlsx, "pdf": pdf}[kind](path), default=str, ensure_ascii=False))
