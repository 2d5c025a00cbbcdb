"""Every id in a registry body names something of the caller's federation; otherwise 422 naming the field,
with the same words whether the id is unknown or another federation's."""
from __future__ import annotations

import re

import pytest

from registry_builders import make_group, make_person, make_structure

PROBLEM = "application/problem+json"
R = "/registry/v1"


def _refusal(r, field):
    assert r.status_code == 422 and r.mimetype == PROBLEM, (r.status_code, r.json)
    assert field in r.json["errors"], r.json
    return re.sub(r"\S*[0-9a-f]{8}-[0-9a-f-]{27}\S*|\S*nobody\S*", "…", r.json["errors"][field][0])


@pytest.fixture
def femage(other_staff):
    return {"structure": make_structure(other_staff, name="MSP de Chaumont", city="Chaumont", department="52")["id"],
            "person": make_person(other_staff, first_name="Luc", last_name="Femage")["id"]}


@pytest.mark.parametrize("body,field", [
    ({"structure_ids": ["{structure}"]}, "structure_ids"),
    ({"contact_person_ids": ["{person}"]}, "contact_person_ids"),
])
def test_a_local_group_refuses_another_federations_structures_and_contacts(staff, femage, runtime, body, field):
    theirs = {k: [v[0].format(**femage)] for k, v in body.items()}
    nobody = {k: ["nobody"] for k in body}
    a = _refusal(staff.post(f"{R}/local-groups", json={"name": "Groupe 44 est", **theirs}), field)
    b = _refusal(staff.post(f"{R}/local-groups", json={"name": "Groupe 44 est", **nobody}), field)
    assert a == b
    assert runtime("registry").db.local_groups.count_documents({}) == 0


def test_a_structure_of_another_federation_cannot_join_a_group(staff, femage):
    group = make_group(staff)
    _refusal(staff.post(f"{R}/local-groups/{group['id']}/structures", json={"structure_id": femage["structure"]}),
             "structure_id")


def test_a_role_cannot_be_held_in_another_federations_structure(staff, femage):
    person = make_person(staff)
    r = staff.post(f"{R}/people/{person['id']}/roles", json={"role": "coordinator",
                                                           "structure_id": femage["structure"]})
    _refusal(r, "structure_id")
    r = staff.post(f"{R}/people", json={"first_name": "Ana", "last_name": "Roux", "roles": [
        {"role": "coordinator", "structure_id": femage["structure"]}]})
    assert r.status_code == 422 and r.mimetype == PROBLEM, r.json
