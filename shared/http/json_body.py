"""Reading a JSON body so that no input, however odd, reaches a use case or the store unchecked.

* nested deeper than `MAX_DEPTH` (or deep enough to exhaust the parser) → 400, not a RecursionError;
* a string holding a lone surrogate (`"\\ud800"`: valid JSON, not valid Unicode; the store cannot encode
  it) or a control character (NUL, ESC, DEL, C1…; tab and line breaks are text) → 422 naming the field.

Single-line fields (names, titles: what ends in e-mail headers) also refuse line breaks and tabs:
`shared.http.text.SingleLine`.
"""
from __future__ import annotations

import json
import re
from typing import Any

from marshmallow import ValidationError

MAX_DEPTH = 32
# Never text: C0 controls except TAB/LF/CR, DEL, C1 controls, and lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class TooDeep(ValueError):
    pass


def parse(raw: bytes | str) -> Any:
    """The decoded body. Raises `json.JSONDecodeError` (malformed), `TooDeep`, or a marshmallow
    `ValidationError` whose messages name the fields holding forbidden characters."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
    except RecursionError:
        raise TooDeep(f"Le corps de la requête a plus de {MAX_DEPTH} niveaux d'imbrication.") from None
    problems = _check(data)
    if problems:
        raise ValidationError(problems)
    return data


def _message_for(text: str) -> str:
    char = FORBIDDEN.search(text).group()
    if "\ud800" <= char <= "\udfff":
        return f"Unicode invalide : demi-codet isolé U+{ord(char):04X}."
    return f"Le caractère de contrôle U+{ord(char):04X} n'est pas accepté."


def _check(data: Any) -> dict:
    """Walks the document without recursion; returns marshmallow-shaped messages ({field: [msg]},
    nested for objects and lists)."""
    problems: dict = {}
    stack = [(data, (), 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TooDeep(f"Le corps de la requête a plus de {MAX_DEPTH} niveaux d'imbrication.")
        if isinstance(value, str):
            if FORBIDDEN.search(value):
                _put(problems, path or ("_body",), _message_for(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if FORBIDDEN.search(key):
                    _put(problems, (*path, "_body") if path else ("_body",), f"Nom de champ : {_message_for(key)}")
                    continue
                stack.append((item, (*path, key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, (*path, index), depth + 1) for index, item in enumerate(value))
    return problems


def _put(problems: dict, path: tuple, message: str) -> None:
    node = problems
    for key in path[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):  # the parent itself was reported already
            return
        node = child
    messages = node.setdefault(path[-1], [])
    if isinstance(messages, list):
        messages.append(message)
