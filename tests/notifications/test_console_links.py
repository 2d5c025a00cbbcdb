"""E-mails link into the web console (web/ROUTES.md), on PUBLIC_BASE_URL: the invitation's "je m'inscris" and
"je ne pourrai pas venir", the event's page, the unsubscribe page, the preferences, the certificate's check."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from services.notifications import dispatcher, templating
from notif_kit import FED, ev, event_data, feed, registration_data

BASE = "http://maillage.test"  # the tests' PUBLIC_BASE_URL


def _send(rt):
    return dispatcher.dispatch_due(rt.db, rt.settings, "email")


def _bodies(msg) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_an_invitation_carries_the_register_and_decline_links_to_the_event_page(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience())
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    assert _send(notif) == {"sent": 3}
    page = f"{BASE}/evenements/{event['id']}"
    for msg in smtp.messages:
        text, html = _bodies(msg)
        assert f"Je m'inscris : {page}?action=inscription" in text
        assert f"Je ne pourrai pas venir : {page}?action=absence" in text
        assert f'href="{page}?action=inscription"' in html and f'href="{page}?action=absence"' in html
        assert f"Gérer mes préférences de notification : {BASE}/preferences" in text
        # The body's link opens the console's page; the header stays the API's one-click URL (RFC 8058).
        [page_link] = [w for w in text.split() if w.startswith(f"{BASE}/desinscription?token=")]
        header = str(msg["List-Unsubscribe"]).strip("<>")
        assert header.startswith(f"{BASE}/notifications/v1/unsubscribe?token=")
        assert parse_qs(urlsplit(page_link).query)["token"] == parse_qs(urlsplit(header).query)["token"]


def test_a_registration_confirmation_links_to_the_event_page(notif, messages_sub, network, smtp):
    event = event_data(audience=network.audience())
    registration = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.event.published.v1", event))
    _send(notif)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration))
    _send(notif)
    confirmation = [m for m in smtp.sink.to(network.alice["email"]) if "Inscription" in str(m["Subject"])][-1]
    text, _ = _bodies(confirmation)
    assert f"Détails : {BASE}/evenements/{event['id']}" in text
    assert f"Vous ne pourrez finalement pas venir ? {BASE}/evenements/{event['id']}?action=absence" in text
    assert "action=inscription" not in text


def test_links_follow_the_public_base_url():
    links = templating.console_links("https://maillage.apmsl.example/", {
        "item": {"_id": "e 1", "source": "events"}, "data": {"code": "PACTE-7K2M-QX4D"}},
        "https://maillage.apmsl.example/notifications/v1/unsubscribe?token=abc.def")
    assert links == {
        "preferences": "https://maillage.apmsl.example/preferences",
        "my_space": "https://maillage.apmsl.example/mon-espace",
        "event": "https://maillage.apmsl.example/evenements/e%201",
        "register": "https://maillage.apmsl.example/evenements/e%201?action=inscription",
        "decline": "https://maillage.apmsl.example/evenements/e%201?action=absence",
        "certificate": "https://maillage.apmsl.example/certificats/PACTE-7K2M-QX4D",
        "unsubscribe": "https://maillage.apmsl.example/desinscription?token=abc.def",
    }
    seminar = templating.console_links("https://x.example", {"item": {"_id": "s1", "source": "training"}})
    assert "event" not in seminar


def test_the_invitation_preview_shows_the_console_links(api):
    r = api("notifications").as_user(FED, ["staff"]).get("/notifications/v1/preview/invitation")
    assert r.status_code == 200, r.json
    assert f"{BASE}/evenements/exemple-evenement?action=inscription" in r.json["text"]
    assert f"{BASE}/desinscription?token=" in r.json["html"]


def test_the_console_unsubscribe_page_reads_the_link_as_json_then_applies_it(api, notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("events.event.published.v1", event_data(audience=network.audience())))
    _send(notif)
    text, _ = _bodies(smtp.sink.to(network.alice["email"])[0])
    [page_link] = [w for w in text.split() if w.startswith(f"{BASE}/desinscription?token=")]
    token = parse_qs(urlsplit(page_link).query)["token"][0]
    public = api("notifications").anonymous()
    described = public.get("/notifications/v1/unsubscribe/link", query_string={"token": token})
    assert described.status_code == 200, described.json
    assert described.json["category"] == "invitation" and described.json["label"]
    assert public.post("/notifications/v1/unsubscribe", query_string={"token": token}).json["unsubscribed"] is True
    forged = public.get("/notifications/v1/unsubscribe/link", query_string={"token": token[:-4] + "AAAA"})
    assert forged.status_code == 422 and "token" in forged.json["errors"]
