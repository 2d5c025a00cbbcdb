"""Every endpoint, the same three guarantees: invalid input names the field (problem+json), roles are
enforced, and another federation sees nothing (404)."""
from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"

# (method, path, a valid body, who else than staff may call it)
ENDPOINTS = [
    ("GET", "/events/v1/events/{event}", None, "member"),
    ("PATCH", "/events/v1/events/{event}", {"title": "Nouveau titre"}, None),
    ("POST", "/events/v1/events/{event}/publish", {}, None),
    ("POST", "/events/v1/events/{event}/cancel", {"reason": "salle indisponible"}, None),
    ("POST", "/events/v1/events/{event}/hold", {}, None),
    ("POST", "/events/v1/events/{event}/next", {"starts_at": "2031-06-12T09:30:00+02:00",
                                                "ends_at": "2031-06-12T12:30:00+02:00"}, None),
    ("POST", "/events/v1/events/{event}/replay-views", {"views": 3}, None),
    ("GET", "/events/v1/events/{event}/registrations", None, None),
    ("POST", "/events/v1/events/{event}/registrations", {}, "member"),
    ("GET", "/events/v1/events/{event}/registrations/{registration}", None, "owner"),
    ("POST", "/events/v1/events/{event}/registrations/{registration}/cancel", {}, "owner"),
    ("POST", "/events/v1/events/{event}/registrations/{registration}/approve", {}, None),
    ("POST", "/events/v1/events/{event}/registrations/{registration}/reject", {}, None),
    ("POST", "/events/v1/events/{event}/registrations/{registration}/attendance", {"status": "attended"}, None),
]
IDS = [f"{m} {p.replace('/events/v1/events/{event}', '') or '/'}" for m, p, _, _ in ENDPOINTS]


@pytest.fixture
def scene(published, person, client):
    event = published()
    owner = client.as_user("apmsl", ["member"], sub=person("p-owner"))
    registration = owner.post(f"/events/v1/events/{event['id']}/registrations", json={}).json
    return {"event": event["id"], "registration": registration["id"], "owner": owner}


def _call(user, method, path, body):
    return user.client.open(path, method=method, json=body, headers=user.headers)


@pytest.mark.parametrize("method,path,body,others", ENDPOINTS, ids=IDS)
def test_without_a_token_it_is_401(client, scene, method, path, body, others):
    r = _call(client.anonymous(), method, path.format(**scene), body)
    assert r.status_code == 401 and r.mimetype == PROBLEM


@pytest.mark.parametrize("method,path,body,others", ENDPOINTS, ids=IDS)
def test_another_federation_gets_404_and_changes_nothing(client, scene, events_rt, method, path, body, others):
    before = (events_rt.db.events.find_one({"_id": scene["event"]}), list(events_rt.db.registrations.find()))
    for roles in (["admin"], ["member"]):
        r = _call(client.as_user("femage", roles, sub="p-owner"), method, path.format(**scene), body)
        # A member calling a staff-only route is refused on the role, before anything is looked up.
        expected = {403, 404} if roles == ["member"] and others is None else {404}
        assert r.status_code in expected and r.mimetype == PROBLEM, (roles, r.json)
    assert before == (events_rt.db.events.find_one({"_id": scene["event"]}), list(events_rt.db.registrations.find()))


@pytest.mark.parametrize("method,path,body,others", ENDPOINTS, ids=IDS)
def test_a_member_may_only_do_what_members_do(client, scene, person, method, path, body, others):
    if others == "owner":
        stranger = client.as_user("apmsl", ["member"], sub=person("p-stranger"))
        r = _call(stranger, method, path.format(**scene), body)
        assert r.status_code == 404, r.json  # someone else's registration does not exist for you
        assert _call(scene["owner"], method, path.format(**scene), body).status_code in (200, 201)
    elif others == "member":
        member = client.as_user("apmsl", ["member"], sub=person("p-member"))
        assert _call(member, method, path.format(**scene), body).status_code in (200, 201)
    else:
        member = client.as_user("apmsl", ["member", "coordinator"], sub=person("p-member"))
        r = _call(member, method, path.format(**scene), body)
        assert r.status_code == 403 and r.mimetype == PROBLEM, r.json


@pytest.mark.parametrize("method,path,body,others", [e for e in ENDPOINTS if e[0] != "GET"],
                         ids=[i for i, e in zip(IDS, ENDPOINTS) if e[0] != "GET"])
def test_an_unknown_field_is_a_422_naming_it(staff, scene, method, path, body, others):
    r = _call(staff, method, path.format(**scene), {**body, "sneaky": {"$set": 1}})
    assert r.status_code == 422 and r.mimetype == PROBLEM and "sneaky" in r.json["errors"], r.json


@pytest.mark.parametrize("method,path,body,others", [e for e in ENDPOINTS if e[0] != "GET"],
                         ids=[i for i, e in zip(IDS, ENDPOINTS) if e[0] != "GET"])
def test_malformed_json_is_a_400(staff, scene, method, path, body, others):
    r = staff.client.open(path.format(**scene), method=method, data="{oops",
                          headers={**staff.headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.mimetype == PROBLEM


@pytest.mark.parametrize("path", ["/events/v1/events", "/events/v1/events/{event}/registrations",
                                  "/events/v1/me/registrations", "/events/v1/agenda", "/events/v1/stats"])
def test_list_queries_are_strict(staff, scene, path):
    for query in ("page=0", "per_page=1000", "page=abc", "nonsense=1"):
        r = staff.get(f"{path.format(**scene)}?{query}")
        assert r.status_code == 422 and r.mimetype == PROBLEM, (query, r.json)
