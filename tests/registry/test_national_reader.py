"""A `national` token reads every federation's registry and changes none of it."""
from __future__ import annotations

import pytest

from shared.testing.national import NATIONAL_READERS, snapshot

from registry_builders import make_group, make_person, make_structure
from shared.testing import OutboxCapture

PROBLEM = "application/problem+json"
R = "/registry/v1"

# Every route that writes, with a body valid for it (creations aimed at APMSL).
WRITES = [
    ("POST", "/structures", {"kind": "CDS", "name": "CDS national", "city": "Nantes", "department": "44",
                        "federation": "apmsl"}),
    ("PATCH", "/structures/{structure}", {"phone": "0240000000"}),
    ("POST", "/structures/{structure}/archive", {}),
    ("POST", "/structures/{structure}/restore", None),
    ("POST", "/people", {"first_name": "Nina", "last_name": "Nationale", "federation": "apmsl"}),
    ("PATCH", "/people/{person}", {"phone": "0240000001"}),
    ("POST", "/people/{person}/roles", {"role": "coordinator", "structure_id": "{structure}"}),
    ("POST", "/people/{person}/roles/{role}/end", {}),
    ("POST", "/people/{person}/erase", None),
    ("POST", "/local-groups", {"name": "Groupe national", "department": "44", "federation": "apmsl"}),
    ("PATCH", "/local-groups/{group}", {"name": "Groupe renommé"}),
    ("POST", "/local-groups/{group}/structures", {"structure_id": "{structure}"}),
    ("DELETE", "/local-groups/{group}/structures/{member}", None),
    ("POST", "/territories", {"name": "Territoire national", "departments": ["44"], "federation": "apmsl"}),
]
NATIONALS = NATIONAL_READERS


def _state(db) -> dict:
    return snapshot(db)


def _fill(value, scene):
    if isinstance(value, dict):
        return {k: _fill(v, scene) for k, v in value.items()}
    return value.format(**scene) if isinstance(value, str) else value


@pytest.fixture
def scene(staff):
    structure = make_structure(staff)
    member = make_structure(staff, name="MSP de Vallet", city="Vallet")
    person = make_person(staff)
    role = staff.post(f"{R}/people/{person['id']}/roles", json={"role": "coordinator",
                                                               "structure_id": structure["id"]}).json
    group = make_group(staff, structure_ids=[member["id"]])
    return {"structure": structure["id"], "member": member["id"], "person": person["id"], "group": group["id"],
            "role": role["roles"][0]["id"]}


@pytest.mark.parametrize("who", NATIONALS)
def test_national_reader_changes_nothing_in_the_registry(api, scene, runtime, who):
    federation, roles = NATIONALS[who]
    rt = runtime("registry")
    before, outbox = _state(rt.db), OutboxCapture(rt)
    for method, path, body in WRITES:
        # `sub` = the person: a national token is not that person writing their own record.
        national = api("registry").as_user(federation, roles, sub=scene["person"])
        r = national.client.open(R + path.format(**scene), method=method, json=_fill(body, scene),
                                 headers=national.headers)
        assert r.status_code in (403, 404) and r.mimetype == PROBLEM, (method, path, r.status_code, r.json)
    assert _state(rt.db) == before and outbox.events == []


def test_national_reader_still_reads_people_and_structures(national, scene):
    assert national.get(f"{R}/people/{scene['person']}").status_code == 200
    assert national.get(f"{R}/structures/{scene['structure']}").status_code == 200


def test_a_person_still_changes_their_own_contact_data(as_person, scene):
    r = as_person(scene["person"], "coordinator").patch(f"{R}/people/{scene['person']}", json={"phone": "0240000002"})
    assert r.status_code == 200, r.json
