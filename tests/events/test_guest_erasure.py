"""Outside guests registered by e-mail are erased like registry people: by staff, or by themselves
through the signed link of their e-mails."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from shared import guest_erasure
from shared.testing import OutboxCapture

PROBLEM = "application/problem+json"
E = "/events/v1/events"
G = "/events/v1/guests"
LEA = {"first_name": "Léa", "last_name": "Durand", "email": "Lea.Durand@cpam.example.org", "organization": "CPAM 44",
       "may_email": True}


def _invite(staff, event, guest=LEA, note="Vient pour la CPAM"):
    r = staff.post(f"{E}/{event['id']}/registrations", json={"guest": {k: guest[k] for k in (
        "first_name", "last_name", "email", "organization")}, "note": note})
    assert r.status_code == 201, r.json
    return r.json


def _purged(events_rt, registration_id):
    reg = events_rt.db.registrations.find_one({"_id": registration_id})
    assert reg["erased"] is True and reg["status"] in ("registered", "cancelled")
    assert all(reg.get(k) is None for k in ("first_name", "last_name", "email", "organization", "note"))
    assert "cpam" not in reg["dedup_key"]
    return reg


def test_staff_erase_a_guest_by_e_mail_and_only_a_digest_is_published(published, staff, events_rt):
    first, second = published(), published(title="Deuxième réunion")
    regs = [_invite(staff, first), _invite(staff, second)]
    outbox = OutboxCapture(events_rt)
    r = staff.post(f"{G}/erase", json={"email": "lea.durand@CPAM.example.org"})
    assert r.status_code == 200 and r.json == {"erased": 2}
    for reg in regs:
        _purged(events_rt, reg["id"])
    erased = outbox.of("events.guest.erased.v1")[0]
    assert erased["data"] == {"federation": "apmsl", "email_sha256": guest_erasure.email_digest(LEA["email"]),
                              "registrations": 2}
    assert "cpam" not in str(erased).lower()
    # The seats stay counted (figures), and the address may be registered again as a new guest.
    assert staff.get(f"{E}/{first['id']}").json["seats"]["taken"] == 1
    assert staff.post(f"{E}/{first['id']}/registrations", json={"guest": {
        "first_name": "Léa", "last_name": "Durand", "email": LEA["email"]}}).status_code == 201


def test_another_federations_staff_erase_nothing_of_ours(published, staff, client, events_rt):
    reg = _invite(staff, published())
    r = client.as_user("femage", ["admin"]).post(f"{G}/erase", json={"email": LEA["email"]})
    assert r.status_code == 200 and r.json == {"erased": 0}
    assert events_rt.db.registrations.find_one({"_id": reg["id"]})["email"] == LEA["email"]


def test_members_and_national_readers_cannot_erase_guests(client):
    for federation, roles in (("apmsl", ["member"]), (None, ["national"])):
        r = client.as_user(federation, roles).post(f"{G}/erase", json={"email": LEA["email"]})
        assert r.status_code == 403 and r.mimetype == PROBLEM


def test_a_guest_erases_themself_with_the_signed_link_of_their_e_mails(published, staff, client, events_rt,
                                                                        settings):
    reg = _invite(staff, published())
    link = guest_erasure.url(settings, "apmsl", LEA["email"])
    assert link.startswith("http://maillage.test/events/v1/guests/erasure?token=")
    token = parse_qs(urlparse(link).query)["token"][0]
    anon = client.anonymous()
    preview = anon.get(f"{G}/erasure?token={token}")
    assert preview.status_code == 200 and preview.json == {"federation": "apmsl", "email": LEA["email"].lower(),
                                                           "registrations": 1}
    r = anon.post(f"{G}/erasure", json={"token": token})
    assert r.status_code == 200 and r.json == {"erased": 1}
    _purged(events_rt, reg["id"])


def test_a_forged_or_foreign_link_is_refused_naming_the_token(client, settings):
    forged = guest_erasure.sign(settings.replace(jwt_secret="another-secret-" + "z" * 32), "apmsl", LEA["email"])
    r = client.anonymous().post(f"{G}/erasure", json={"token": forged})
    assert r.status_code == 422 and r.mimetype == PROBLEM and "token" in r.json["errors"]
    assert client.anonymous().get(f"{G}/erasure?token=not-a-token-at-all").status_code == 422
