"""Notifications tests: a real SMTP server (aiosmtpd) on a free port, a local webhook receiver, and
helpers that feed the registry projection and publish domain events like the other services do."""
from __future__ import annotations

import datetime as dt
import http.server
import threading
import unicodedata
import uuid

import pytest

from shared.ports import free_port
from shared.testing import make_event, run_handler
from shared.testing.envelopes import publish  # noqa: F401 - onto the test's exchange, as a relay would
from shared.testing.smtp import SmtpServer, SmtpSink  # noqa: F401 - used by these tests

FED = "apmsl"



@pytest.fixture
def settings(settings, smtp):
    """The kit's settings, with e-mail going to the test's SMTP server and short back-offs."""
    return settings.replace(
        smtp_url=smtp.url, notifications_email_backoff=(0.2, 0.2, 0.2, 0.2, 0.2, 0.2),
        notifications_webhook_backoff=(0.2, 0.2, 0.2), notifications_lease_seconds=30,
        webhook_allow_private=True)  # the test receiver listens on 127.0.0.1


@pytest.fixture
def notif(runtime):
    return runtime("notifications")


@pytest.fixture
def messages_sub(notif):
    return next(s for s in notif.subscriptions() if s.purpose == "messages")


@pytest.fixture
def webhooks_sub(notif):
    return next(s for s in notif.subscriptions() if s.purpose == "webhooks")


# --- builders of what the other services publish --------------------------------------------------

def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def person_data(pid=None, *, first="Camille", last="Martin", email=None, may_email=True, roles=(), fed=FED,
                version=1):
    pid = pid or str(uuid.uuid4())
    return {"id": pid, "federation": fed, "first_name": first, "last_name": last,
            "email": email if email is not None else f"{_ascii(first)}.{_ascii(last)}.{pid[:4]}@example.org",
            "phone": None, "may_email": may_email, "demo": False, "roles": list(roles), "version": version}


def role(structure_id, name="coordinator", start="2020-01-01", end=None):
    return {"id": str(uuid.uuid4()), "structure_id": structure_id, "role": name, "start_on": start, "end_on": end}


def structure_data(sid=None, *, kind="MSP", name="MSP de Clisson", local_group_id=None, fed=FED, version=1):
    return {"id": sid or str(uuid.uuid4()), "federation": fed, "kind": kind, "name": name, "city": "Clisson",
            "department": "44", "postal_code": "44190", "address": None, "geo": None, "finess": None, "siret": None,
            "email": None, "phone": None, "website": None, "multi_site": False, "created_on": None,
            "status": "labellisee", "labellisee_on": "2019-05-01", "aci_on": None, "closed_on": None,
            "local_group_id": local_group_id, "membership_years": [2024, 2025], "professionals": {"medecin": 4},
            "archived": False, "archived_on": None, "version": version}


def group_data(gid=None, *, structure_ids=(), contacts=(), fed=FED, version=1):
    return {"id": gid or str(uuid.uuid4()), "federation": fed, "name": "Groupe local Nord-Loire", "department": "44",
            "structure_ids": list(structure_ids), "contact_person_ids": list(contacts), "version": version}


def event_data(eid=None, *, starts_at=None, version=2, status="published", audience=None, organizer_ids=(),
               fed=FED, title="Groupe local des coordinateurs Nord-Loire"):
    starts = starts_at or (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=20)).replace(microsecond=0)
    return {"id": eid or str(uuid.uuid4()), "kind": "local_group_meeting", "title": title,
            "starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
            "timezone": "Europe/Paris", "format": "in_person",
            "venue": {"name": "MSP de Clisson", "address": "2 rue des Halles", "postal_code": "44190",
                      "city": "Clisson", "department": "44"},
            "video_link": None, "status": status, "version": version, "federation": fed, "theme": "Gestion de projet",
            "agenda_items": ["Tour de table"], "department": "44", "local_group_id": None, "series_id": None,
            "host_structure_id": None,
            "audience": audience or {"local_group_ids": [], "structure_kinds": [], "roles": []},
            "speakers": [], "capacity": 30, "min_participants": 5, "minimum_deadline": None,
            "registration_deadline": None, "cancellation_deadline": None, "requires_approval": False,
            "facilitation": None, "organizer_ids": list(organizer_ids), "cancel_reason": None}


def summary(event: dict) -> dict:
    keys = ("id", "kind", "title", "starts_at", "ends_at", "timezone", "format", "venue", "video_link", "status",
            "version")
    return {k: event[k] for k in keys}


def registration_data(event: dict, person: dict | None, *, rid=None, status="registered", version=1, guest=None):
    return {"id": rid or str(uuid.uuid4()), "event_id": event["id"], "federation": event["federation"],
            "person_id": person["id"] if person else None, "guest": person is None,
            "first_name": (person or guest)["first_name"], "last_name": (person or guest)["last_name"],
            "email": (person or guest)["email"], "may_email": (person or guest).get("may_email", True),
            "status": status, "previous_status": None, "waitlist_position": None, "reason": None,
            "event": summary(event), "version": version}


def recipient_of(registration: dict) -> dict:
    return {"registration_id": registration["id"], "person_id": registration["person_id"],
            "first_name": registration["first_name"], "last_name": registration["last_name"],
            "email": registration["email"], "may_email": registration["may_email"], "status": registration["status"]}


def ev(type_, data, *, sequence=None, subject=None, fed=FED):
    return make_event(type_, data, subject=subject or data.get("id"), sequence=sequence or data.get("version", 1),
                      federation=fed)


def feed(rt, sub, *envelopes):
    return [run_handler(rt, sub, e) for e in envelopes]


class Network:
    """A small local group: 3 structures, members with various roles, one person outside the group."""

    def __init__(self, rt, sub):
        self.group_id = str(uuid.uuid4())
        self.msp1 = structure_data(local_group_id=self.group_id, name="MSP de Clisson")
        self.msp2 = structure_data(local_group_id=self.group_id, name="MSP de Vertou")
        self.cpts = structure_data(kind="CPTS", name="CPTS Sud-Loire")  # not in the group
        self.alice = person_data(first="Alice", last="Durand", roles=[role(self.msp1["id"])])
        self.bruno = person_data(first="Bruno", last="Petit", roles=[role(self.msp2["id"], "leader")])
        self.chloe = person_data(first="Chloé", last="Moreau", roles=[role(self.msp2["id"])])
        self.former = person_data(first="Denis", last="Roux",
                                  roles=[role(self.msp1["id"], start="2019-01-01", end="2021-12-31")])
        self.outsider = person_data(first="Emma", last="Leroy", roles=[role(self.cpts["id"])])
        self.group = group_data(self.group_id, structure_ids=[self.msp1["id"], self.msp2["id"]])
        self.members = [self.alice, self.bruno, self.chloe]
        feed(rt, sub,
             *(ev("registry.structure.registered.v1", s) for s in (self.msp1, self.msp2, self.cpts)),
             ev("registry.local_group.created.v1", self.group),
             *(ev("registry.person.registered.v1", p) for p in (*self.members, self.former, self.outsider)))

    def audience(self):
        return {"local_group_ids": [self.group_id], "structure_kinds": [], "roles": []}


@pytest.fixture
def network(notif, messages_sub):
    return Network(notif, messages_sub)


# --- webhook receiver ---------------------------------------------------------------------------------

class Receiver:
    def __init__(self):
        self.port = free_port()
        self.requests: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/maillage"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
