"""Under JSON logging a message is plain text: the colours werkzeug gives its request lines are dropped."""
from __future__ import annotations

import json
import logging

from werkzeug import serving

from shared.logs import JsonFormatter


def test_a_coloured_request_line_is_logged_without_its_colour_codes(monkeypatch):
    monkeypatch.setattr(serving, "_log_add_style", True)
    coloured = serving._ansi_style("GET /registry/v1/nope HTTP/1.1", "bold", "red")  # what a 4xx looks like
    assert "\x1b[" in coloured
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - "%s" %s -',
                               (coloured, 404), None)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == '127.0.0.1 - - "GET /registry/v1/nope HTTP/1.1" 404 -'


def test_text_without_escapes_is_left_as_it_is():
    record = logging.LogRecord("maillage", logging.INFO, __file__, 1, "Pôle Santé [Clisson] 44;1m", None, None)

    assert json.loads(JsonFormatter().format(record))["message"] == "Pôle Santé [Clisson] 44;1m"
