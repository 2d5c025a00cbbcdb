"""How `make dev` serves the web console: web/dist at /, every page URL answering index.html, the JSON index
of the URLs at /api, the console's runtime settings, and a page saying what to do when it is not built."""
from __future__ import annotations

from shared.config import Settings
from shared.web_console import console_app

URLS = {"registry": {"api": "http://127.0.0.1:8000/registry/v1"}}


def client(dist, environ=None, issuer="http://127.0.0.1:8001"):
    settings = Settings().replace(oidc_issuer=issuer)
    return console_app(settings, URLS, environ or {}, dist=dist).test_client()


def built(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Maillage</title>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    return tmp_path


def test_every_page_url_of_the_console_answers_its_index_uncached(tmp_path):
    web = client(built(tmp_path))
    for path in ("/", "/evenements/e1?action=inscription", "/certificats/ABC-123", "/mon-espace/structure"):
        answer = web.get(path)
        assert answer.status_code == 200, path
        assert b"<title>Maillage</title>" in answer.data
        assert answer.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_good_and_a_missing_one_is_a_404(tmp_path):
    web = client(built(tmp_path))
    answer = web.get("/assets/index-abc123.js")
    assert answer.status_code == 200 and "immutable" in answer.headers["Cache-Control"]
    assert web.get("/assets/index-gone.js").status_code == 404


def test_the_json_index_of_the_urls_is_at_api_and_at_root_for_json_clients(tmp_path):
    web = client(built(tmp_path))
    assert web.get("/api").get_json() == URLS
    assert web.get("/", headers={"Accept": "application/json"}).get_json() == URLS


def test_the_console_is_told_its_issuer_client_and_tiles(tmp_path):
    web = client(built(tmp_path), environ={"TILE_URL": ""})
    config = web.get("/console-config.json").get_json()
    assert config["oidc"] == {"authority": "http://127.0.0.1:8001", "client_id": "maillage-web",
                              "scope": "openid email profile"}
    assert config["map"]["tile_url"] == ""


def test_without_a_build_the_page_says_what_to_install(tmp_path):
    answer = client(tmp_path / "missing").get("/agenda")
    assert answer.status_code == 503
    text = answer.get_data(as_text=True)
    assert "Node.js" in text and "make web" in text and 'lang="fr"' in text
