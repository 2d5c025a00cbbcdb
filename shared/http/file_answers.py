"""File answers (XLSX, PDF) with their OpenAPI description: what the exports of every service return."""
from __future__ import annotations

from flask import Response

from shared import clock
from shared.http.downloads import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
LABELS = {XLSX: "Classeur XLSX (en-têtes en français)", PDF: "Document PDF imprimable"}


def doc(mimetype: str) -> dict:
    """`@blueprint.doc(**doc(XLSX))`: the 200 answer is that file."""
    return {"responses": {"200": {"description": LABELS[mimetype],
                                  "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}}}}}


def download(data: bytes, mimetype: str, name: str) -> Response:
    """The file as an attachment named `<name>-<today>.<ext>`."""
    ext = "xlsx" if mimetype == XLSX else "pdf"
    filename = f"{name}-{clock.today().isoformat()}.{ext}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": content_disposition(filename),
                                                      "Cache-Control": "no-store"})
