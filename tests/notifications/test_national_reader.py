"""A `national` token reads every federation's notifications and changes none of them."""
from __future__ import annotations

import pytest

from shared.testing.national import NATIONAL_READERS, snapshot

from notif_kit import FED

PROBLEM = "application/problem+json"
N = "/notifications/v1"

NATIONALS = NATIONAL_READERS


def _state(db) -> dict:
    return snapshot(db, ("preferences", "webhooks", "deliveries"))


@pytest.fixture
def scene(api, network):
    staff = api("notifications").as_user(FED, ["admin"], sub="staff-apmsl")
    hook = staff.post(f"{N}/webhooks", json={"url": "https://si.apmsl.example.org/hooks", "event_types": ["events.#"],
                                             "secret": "s3cret-for-the-receiver-0001"})
    assert hook.status_code == 201, hook.json
    return {"person": network.alice["id"], "webhook": hook.json["id"]}


@pytest.mark.parametrize("who", NATIONALS)
def test_national_reader_changes_no_preferences_nor_webhooks(api, notif, scene, who):
    federation, roles = NATIONALS[who]
    writes = [
        ("PUT", f"{N}/preferences/{scene['person']}", {"opted_out": ["invitation"]}),
        ("POST", f"{N}/webhooks", {"url": "https://national.example.org/h", "event_types": ["events.#"],
                                   "federation": FED}),
        ("PATCH", f"{N}/webhooks/{scene['webhook']}", {"active": False}),
        ("DELETE", f"{N}/webhooks/{scene['webhook']}", None),
    ]
    before = _state(notif.db)
    for method, path, body in writes:
        # `sub` = the person: a national token is not that person managing their own e-mails.
        national = api("notifications").as_user(federation, roles, sub=scene["person"])
        r = national.client.open(path, method=method, json=body, headers=national.headers)
        assert r.status_code in (403, 404) and r.mimetype == PROBLEM, (method, path, r.status_code, r.json)
    assert _state(notif.db) == before


def test_national_reader_still_reads_preferences(api, scene):
    national = api("notifications").as_user(None, ["national"], sub="national-reader")
    assert national.get(f"{N}/preferences/{scene['person']}").status_code == 200
