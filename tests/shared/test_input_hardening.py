"""Odd input from a web client is refused with a problem naming what is wrong, never a 500: deep JSON,
lone surrogates, control characters, line breaks in names, chunked bodies over the limit, PATCH with
nothing to change, tokens that live for years, and a token-less call with a bad body."""
import datetime as dt
import http.client
import threading

import jwt
import pytest
from werkzeug.serving import make_server

from shared.http.auth import MAX_TOKEN_LIFETIME, issue_token

STRUCTURE = {"kind": "ESP", "name": "ESP du Lac", "city": "Annecy", "department": "74"}


def test_a_body_nested_a_thousand_levels_deep_is_a_400_not_a_crash(api):
    client = api("registry").as_user()
    for depth in (1_000, 100_000):
        body = '{"name": ' + "[" * depth + "]" * depth + "}"
        r = client.post("/registry/v1/structures", data=body, content_type="application/json")
        assert r.status_code == 400 and r.mimetype == "application/problem+json"
        assert "niveaux d'imbrication" in r.json["detail"]


def test_a_lone_surrogate_is_a_422_naming_the_field(api):
    body = '{"kind": "ESP", "name": "ESP du Lac \\ud800", "city": "Annecy", "department": "74"}'
    r = api("registry").as_user().post("/registry/v1/structures", data=body, content_type="application/json")
    assert r.status_code == 422
    assert "demi-codet isolé" in r.json["errors"]["name"][0]


def test_control_characters_are_refused_in_every_text_field_with_the_field_named(api):
    r = api("registry").as_user().post("/registry/v1/structures", json={**STRUCTURE, "address": "1 rue\x00 du Lac"})
    assert r.status_code == 422 and "U+0000" in r.json["errors"]["address"][0]


@pytest.mark.parametrize("name", ["Camille\r\nBcc: everyone@example.org", "Camille\nMartin", "Camille\tMartin",
                                  "Camille\u2028Martin"])
def test_a_person_whose_name_has_a_line_break_is_refused_at_input(api, name):
    r = api("registry").as_user().post("/registry/v1/people", json={
        "first_name": name, "last_name": "Martin", "email": "camille.martin@example.org"})
    assert r.status_code == 422 and "une ligne" in r.json["errors"]["first_name"][0]


def test_an_event_title_with_a_line_break_is_refused_at_input(api):
    r = api("events").as_user().post("/events/v1/events", json={
        "kind": "webinar", "title": "Webinaire\r\nSubject: autre", "starts_at": "2031-03-12T09:30:00+01:00",
        "ends_at": "2031-03-12T11:00:00+01:00"})
    assert r.status_code == 422 and "title" in r.json["errors"]


def test_a_guest_registering_with_a_line_break_in_their_name_is_refused(api):
    r = api("events").as_user().post("/events/v1/events/any/registrations", json={
        "guest": {"first_name": "Ana\r\nX-Evil: 1", "last_name": "Lopez", "email": "ana@example.org"}})
    assert r.status_code == 422 and "une ligne" in r.json["errors"]["guest"]["first_name"][0]


def test_no_token_and_an_invalid_body_is_a_401_not_a_422(api):
    r = api("registry").anonymous().post("/registry/v1/structures", json={"nonsense": True})
    assert r.status_code == 401 and r.mimetype == "application/problem+json"


def test_a_role_that_may_not_write_is_a_403_before_the_body_is_looked_at(api):
    r = api("registry").as_user(roles=("member",)).post("/registry/v1/structures", json={"nonsense": True})
    assert r.status_code == 403


def test_a_patch_with_nothing_to_change_is_refused(api):
    client = api("registry").as_user()
    created = client.post("/registry/v1/structures", json=STRUCTURE)
    path, etag = f"/registry/v1/structures/{created.json['id']}", created.headers["ETag"]
    for kwargs in ({}, {"json": {}}):
        r = client.patch(path, headers={"If-Match": etag}, **kwargs)
        assert r.status_code == 422 and "_body" in r.json["errors"]
    assert client.get(path).headers["ETag"] == etag


@pytest.fixture
def served(api):
    """The registry behind werkzeug's real server (the one `make dev` runs), on a free port."""
    server = make_server("127.0.0.1", 0, api("registry").app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def _chunked_post(port: int, token: str, body: bytes) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    conn.request("POST", "/registry/v1/structures", body=chunks, encode_chunked=True, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    response = conn.getresponse()
    out = response.status, response.getheader("Content-Type"), response.read()
    conn.close()
    return out


def test_a_chunked_body_over_a_mebibyte_is_a_413_like_a_sized_one(served, settings):
    token = issue_token(settings, sub="staff-1", federation="apmsl", roles=["admin"])
    status, content_type, _ = _chunked_post(served, token, b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert status == 413 and content_type == "application/problem+json"


def test_a_small_chunked_body_is_read_whole(served, settings):
    token = issue_token(settings, sub="staff-1", federation="apmsl", roles=["admin"])
    body = b'{"kind": "ESP", "name": "ESP du Lac", "city": "Annecy", "department": "74"}'
    status, _, _ = _chunked_post(served, token, body)
    assert status == 201


def _forged(settings, **claims) -> str:
    return jwt.encode({"sub": "p1", "federation": "apmsl", "roles": ["admin"], "iss": settings.jwt_issuer, **claims},
                      settings.jwt_secret, algorithm=settings.jwt_algorithm)


def test_a_token_valid_for_ten_years_is_refused(api, settings):
    now = dt.datetime.now(dt.timezone.utc)
    ten_years = _forged(settings, iat=now, exp=now + dt.timedelta(days=3650))
    r = api("registry").anonymous().get("/registry/v1/structures", headers={"Authorization": f"Bearer {ten_years}"})
    assert r.status_code == 401 and "vit plus de" in r.json["detail"]
    no_iat = _forged(settings, exp=now + dt.timedelta(days=30))
    assert api("registry").anonymous().get("/registry/v1/structures",
                                           headers={"Authorization": f"Bearer {no_iat}"}).status_code == 401
    a_day = _forged(settings, iat=now, exp=now + MAX_TOKEN_LIFETIME)
    assert api("registry").anonymous().get("/registry/v1/structures",
                                           headers={"Authorization": f"Bearer {a_day}"}).status_code == 200


def test_tokens_are_not_issued_for_longer_than_the_maximum(settings):
    with pytest.raises(ValueError):
        issue_token(settings, sub="p1", federation="apmsl", roles=["admin"], ttl=3650 * 86400)


def test_an_unexpected_error_is_a_logged_500_problem_without_a_stack_trace(runtime):
    from shared.http.app import create_service_app
    from shared.http.blueprint import Blueprint

    broken = Blueprint("broken", __name__, url_prefix="/v1/broken")

    @broken.route("", methods=["GET"])
    def fail():
        raise RuntimeError("a bug")

    app = create_service_app(runtime("registry"), title="t", description="d", blueprints=[broken])
    r = app.test_client().get("/registry/v1/broken")
    assert r.status_code == 500 and r.mimetype == "application/problem+json"
    assert r.json["title"] == "Erreur interne" and "journalisée" in r.json["detail"]
    assert b"Traceback" not in r.data and b"a bug" not in r.data
