"""A body sent without `Content-Length` (`Transfer-Encoding: chunked`) is held to the same 1 MiB as a
sized one: 413, not a body silently cut at the limit and then refused as malformed JSON (400).

WSGI middleware: it reads such a body up to the limit, hands the app a sized copy, and flags one that
is too large; `raise_if_too_large` (a before-request hook) answers that with the usual 413 problem.
"""
from __future__ import annotations

import io

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

TOO_LARGE = "maillage.body_too_large"


class ChunkedBodyLimit:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ, start_response):
        if not environ.get("CONTENT_LENGTH") and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = _read_at_most(environ["wsgi.input"], self.max_bytes + 1)
            if len(body) > self.max_bytes:
                environ[TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)


def _read_at_most(stream, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = stream.read(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def raise_if_too_large() -> None:
    if request.environ.get(TOO_LARGE):
        raise RequestEntityTooLarge()
