"""A feed's saved file name and calendar title are never what a caller typed in the URL: the
`Content-Disposition` header is RFC 6266 (`filename*`), always one Latin-1 line, and the calendar name is
escaped on one line."""
from __future__ import annotations

import threading
import urllib.parse
import urllib.request

import pytest
from icalendar import Calendar
from werkzeug.serving import make_server

from services.events.worker import registry_projection
from shared.http.downloads import content_disposition
from shared.testing import make_event, run_handler

A = "/events/v1/agenda"


def test_a_feed_of_a_federation_code_that_cannot_exist_is_not_found(client):
    for name in ("apmsl%22%3B%20filename%3Devil.exe", "%E6%97%A5%E6%9C%AC", "a%0D%0AX-Evil%3A%201"):
        r = client.anonymous().get(f"{A}/federations/{name}.ics")
        assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_an_unknown_local_group_feed_is_not_named_after_the_url(client):
    typed = urllib.parse.quote("x\r\nX-EVIL:1;Évian")
    r = client.anonymous().get(f"{A}/local-groups/{typed}.ics")
    assert r.status_code == 200
    disposition = r.headers["Content-Disposition"]
    disposition.encode("latin-1")
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('inline; filename="') and "filename*=UTF-8''" in disposition
    cal = Calendar.from_ical(r.data)
    assert str(cal["X-WR-CALNAME"]) == "Agenda — groupe local"
    assert b"X-EVIL" not in r.data


def test_a_local_group_named_with_accents_and_line_breaks_gets_one_escaped_calendar_name(client, runtime):
    data = {"id": "apmsl-evian", "federation": "apmsl", "name": "Évian; les Bains,\r\nX-EVIL:1",
            "department": "74", "structure_ids": [], "contact_person_ids": [], "version": 1}
    run_handler(runtime("events"), registry_projection(),
                make_event("registry.local_group.created.v1", data, subject="apmsl-evian"))
    r = client.anonymous().get(f"{A}/local-groups/apmsl-evian.ics")
    assert b"\r\nX-EVIL" not in r.data
    assert "X-WR-CALNAME:Agenda — Évian\\; les Bains\\, X-EVIL:1\r\n".encode() in r.data  # TEXT escaping


@pytest.mark.parametrize("name, expected", [
    ("apmsl.ics", 'inline; filename="apmsl.ics"'),
    ("日本.ics", "inline; filename=\"__.ics\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.ics"),
    ('a"; b=1\r\n.ics', "inline; filename=\"a__ b_1 .ics\"; filename*=UTF-8''a%22%3B%20b%3D1%20.ics"),
])
def test_content_disposition_follows_rfc_6266(name, expected):
    assert content_disposition(name, "inline") == expected


def test_a_non_latin_1_feed_path_answers_under_the_dev_server(client):
    """werkzeug's server (the one `make dev` runs) used to die writing a non-Latin-1 header."""
    server = make_server("127.0.0.1", 0, client.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}{A}/local-groups/{urllib.parse.quote('日本')}.ics"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert "filename*=UTF-8''%E6%97%A5%E6%9C%AC.ics" in response.headers["Content-Disposition"]
    finally:
        server.shutdown()
