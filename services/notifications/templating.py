"""Jinja2 templates of the messages (French), in `templates/`: `<name>.subject.txt`, `<name>.txt`,
`<name>.html`, the last two extending `base.txt` / `base.html` (which carry the unsubscribe link)."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, TemplateNotFound, select_autoescape

from services.notifications.rules import as_utc

TEMPLATE_DIR = Path(__file__).with_name("templates")
PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _dt(value, tz: str | None = None) -> dt.datetime | None:
    value = as_utc(value)
    if value is None:
        return None
    try:
        zone = ZoneInfo(tz) if tz else PARIS
    except Exception:  # noqa: BLE001 - an unknown zone name falls back to Paris time
        zone = PARIS
    return value.astimezone(zone)


def date_fr(value, tz: str | None = None) -> str:
    """`mardi 3 mars 2026`."""
    d = _dt(value, tz)
    if d is None:
        return ""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{DAYS[d.weekday()]} {day} {MONTHS[d.month - 1]} {d.year}"


def time_fr(value, tz: str | None = None) -> str:
    """`14 h 30`."""
    d = _dt(value, tz)
    return "" if d is None else f"{d.hour} h {d.minute:02d}"


def datetime_fr(value, tz: str | None = None) -> str:
    """`mardi 3 mars 2026 à 14 h 30`."""
    d = _dt(value, tz)
    return "" if d is None else f"{date_fr(d, tz)} à {time_fr(d, tz)}"


def plain_date_fr(value) -> str:
    """A calendar date (no time zone): `3 mars 2026`."""
    if not value:
        return ""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


@functools.lru_cache(maxsize=2)
def environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"]) if autoescape else False,
        undefined=ChainableUndefined,  # a missing optional field renders empty, never crashes a send
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(date_fr=date_fr, time_fr=time_fr, datetime_fr=datetime_fr, plain_date_fr=plain_date_fr)
    return env


class UnknownTemplate(LookupError):
    pass


def template_names() -> list[str]:
    return sorted(p.name[: -len(".subject.txt")] for p in TEMPLATE_DIR.glob("*.subject.txt"))


def render(name: str, context: dict) -> dict:
    """{subject, text, html} of template `name` rendered with `context`."""
    try:
        subject = environment(False).get_template(f"{name}.subject.txt").render(context)
        text = environment(False).get_template(f"{name}.txt").render(context)
        html = environment(True).get_template(f"{name}.html").render(context)
    except TemplateNotFound as exc:
        raise UnknownTemplate(name) from exc
    return {"subject": " ".join(subject.split()), "text": text, "html": html}


FEDERATION_NAMES = {
    "apmsl": "APMSL Pays de la Loire",
    "femasaura": "FemasAURA&Co",
    "femage": "FEMAGE Grand Est",
    "avecsante-na": "AVECsanté Nouvelle-Aquitaine",
}


def console_links(base_url: str | None, context: dict, unsubscribe_url: str | None = None) -> dict:
    """The web console's pages an e-mail links to (`web/ROUTES.md`), on `PUBLIC_BASE_URL`: the event's page and
    its "je m'inscris" / "je ne pourrai pas venir" actions, the certificate's verification, the preferences, the
    unsubscribe page (the `List-Unsubscribe` header keeps the API's one-click URL, RFC 8058)."""
    if not base_url:
        return {}
    base = base_url.rstrip("/")
    links = {"preferences": f"{base}/preferences", "my_space": f"{base}/mon-espace"}
    item = context.get("item") or {}
    data = context.get("data") or {}
    event_id = data.get("event_id") or (item.get("_id") if item.get("source") == "events" else None)
    if event_id:
        page = f"{base}/evenements/{quote(str(event_id), safe='')}"
        links.update(event=page, register=f"{page}?action=inscription", decline=f"{page}?action=absence")
    code = data.get("code") or data.get("certificate_code")
    if code:
        links["certificate"] = f"{base}/certificats/{quote(str(code), safe='')}"
    token = parse_qs(urlsplit(unsubscribe_url).query).get("token") if unsubscribe_url else None
    if token:
        links["unsubscribe"] = f"{base}/desinscription?{urlencode({'token': token[0]})}"
    return links


def render_message(name: str, context: dict, *, person: dict, federation: str | None, unsubscribe_url: str,
                   unsubscribe_label: str, erasure_url: str | None = None, base_url: str | None = None) -> dict:
    """An e-mail's {subject, text, html}: `context` plus who it is for, its unsubscribe (and, for an outside
    guest, erasure) link, the console's pages it links to (`links`) and the federation that sends it."""
    links = console_links(base_url, context, unsubscribe_url)
    return render(name, {**context, "person": person, "links": links,
                         "unsubscribe_url": links.get("unsubscribe") or unsubscribe_url,
                         "unsubscribe_label": unsubscribe_label, "erasure_url": erasure_url,
                         "sender_name": FEDERATION_NAMES.get(federation or "", federation)})
