"""Text fields whose value ends up on one line: names and titles go into e-mail headers (`To:` display
names, `Subject:`), where a line break either breaks the message for good or injects a header.

`SingleLine(...)` is a marshmallow String refusing CR, LF, tab and the Unicode line separators, with a
422 naming the field. (Other control characters are refused in every string: `shared.http.json_body`.)
"""
from __future__ import annotations

import re

from marshmallow import fields

LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")


class SingleLine(fields.String):
    default_error_messages = {"line_break": "Doit tenir sur une ligne (ni saut de ligne ni tabulation)."}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if LINE_BREAKS.search(text):
            raise self.make_error("line_break")
        return text


def is_single_line(text: str) -> bool:
    return not LINE_BREAKS.search(text)


_NOT_PRINTABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str, max_length: int = 200) -> str:
    """`text` folded onto one printable line (runs of whitespace and control characters become one
    space), at most `max_length` characters: for values copied into headers and calendar properties."""
    return _NOT_PRINTABLE.sub(" ", text).strip()[:max_length]
