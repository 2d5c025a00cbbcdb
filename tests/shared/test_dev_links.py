"""Under `make dev`, the links in e-mails and .ics feeds point at the port the server really listens on."""
import datetime as dt

from services.events.ical import vevent
from services.notifications.preferences import unsubscribe_url
from shared.config import load_settings
from shared.devserver import follow_port


def test_links_follow_port_under_make_dev(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    settings = follow_port(load_settings())
    assert settings.public_base_url == "http://127.0.0.1:8123"
    assert unsubscribe_url(settings, "p1", "apmsl", "invitation").startswith(
        "http://127.0.0.1:8123/notifications/v1/unsubscribe?token=")
    event = {"_id": "e1", "title": "Groupe 44 est", "kind": "local_group_meeting", "status": "published",
             "starts_at": dt.datetime(2031, 3, 12, 8, 30, tzinfo=dt.timezone.utc),
             "ends_at": dt.datetime(2031, 3, 12, 11, 30, tzinfo=dt.timezone.utc), "version": 1}
    assert str(vevent(event, {}, settings.public_base_url)["URL"]) == "http://127.0.0.1:8123/evenements/e1"


def test_an_explicit_public_base_url_wins(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://maillage.apmsl.example")
    monkeypatch.setenv("PORT", "8123")
    assert follow_port(load_settings()).public_base_url == "https://maillage.apmsl.example"
