"""`Content-Disposition` for files we serve (RFC 6266): the name in `filename*` (UTF-8, percent-encoded),
and an ASCII fallback in `filename` for old clients. Whatever the name holds (quotes, `;`, CR/LF, `/`,
non-Latin-1 text), the header stays one well-formed, Latin-1-encodable line."""
from __future__ import annotations

import re
from urllib.parse import quote

from shared.http.text import one_line

_UNSAFE_IN_FALLBACK = re.compile(r"[^A-Za-z0-9._ -]")


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    name = one_line(filename, 150).replace("/", "_").replace("\\", "_").lstrip(".") or "download"
    fallback = _UNSAFE_IN_FALLBACK.sub("_", name)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
