"""`.env.example` lists every variable the code reads: an operator copying it sees every setting there is.

The code is read as text: environs calls (`env.str("MONGO_URL", ...)`), `os.environ` / `os.getenv` reads,
`"X" in os.environ` checks and gunicorn.conf.py's `_int("X", ...)` helpers, in the platform (shared/,
services/, deploy/) and the benchmarks (bench/). A variable is listed as `X=...` or, when it has no
sensible default, commented out as `#X=...`.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("shared", "services", "deploy", "bench")
NAME = r"""["']([A-Z][A-Z0-9_]*)["']"""
READS = [
    re.compile(rf"\benv\.(?:str|int|bool|float|list|dict|json|decimal|path|url|date|datetime|timedelta)\(\s*{NAME}"),
    re.compile(rf"\benviron\.(?:get|setdefault|pop)\(\s*{NAME}"),
    re.compile(rf"\bos\.getenv\(\s*{NAME}"),
    re.compile(rf"\benviron\[\s*{NAME}\s*\]"),
    re.compile(rf"{NAME}\s+(?:not\s+)?in\s+os\.environ"),
    re.compile(rf"\b_(?:int|bool|str|float)\(\s*{NAME}"),  # deploy/gunicorn.conf.py's helpers
]
# Keys of a WSGI environ (`environ.get("PATH_INFO")`), and the system's own: not settings.
NOT_SETTINGS = {"PATH_INFO", "CONTENT_LENGTH", "CONTENT_TYPE", "QUERY_STRING", "REQUEST_METHOD", "REMOTE_ADDR",
                "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "RAW_URI", "PATH", "HOME"}


def variables_the_code_reads() -> dict[str, str]:
    """{name: first file reading it}"""
    found: dict[str, str] = {}
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for pattern in READS:
                for name in pattern.findall(text):
                    if name not in NOT_SETTINGS and not name.startswith("HTTP_"):
                        found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def variables_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_variable_the_code_reads_is_in_env_example():
    missing = {name: where for name, where in variables_the_code_reads().items()
               if name not in variables_in_env_example()}

    assert not missing, f"read by the code, missing from .env.example: {missing}"


def test_the_scan_sees_the_reads_of_every_kind():
    reads = variables_the_code_reads()

    assert {"MONGO_URL", "BUS_QUEUE_PREFIX", "LOG_JSON"} <= set(reads)  # environs, shared/config.py
    assert {"WEBHOOK_ALLOW_PRIVATE", "PROMETHEUS_MULTIPROC_DIR", "FORWARDED_ALLOW_IPS"} <= set(reads)  # os.environ
    assert {"WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"} <= set(reads)  # gunicorn helpers
    assert "PATH_INFO" not in reads  # a WSGI environ is not the process environment
