"""GDPR: erasure (anonymise, end roles, publish person.erased on the broker) and the export of one person."""
from shared.testing import OutboxCapture

from registry_builders import make_group, make_person, make_structure, publish

SECRETS = ("Camille", "Guérin", "camille.guerin@example.org", "06 12 34 56 78", "10003456789")


def test_erasure_anonymises_ends_roles_and_tells_every_projection(staff, runtime, capture):
    broker = capture("registry.person.#")
    msp = make_structure(staff)
    person = make_person(staff, phone="06 12 34 56 78", rpps="10003456789", employment_status="employee",
                         roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    group = make_group(staff, contact_person_ids=[person["id"]])
    r = staff.post(f"/registry/v1/people/{person['id']}/erase")
    assert r.status_code == 200, r.json
    assert r.json["erased"] is True and r.json["roles_ended"] == 1
    publish(runtime)
    erased = broker.wait_for("registry.person.erased.v1")
    assert erased["data"] == {"id": person["id"], "federation": "apmsl"}
    assert erased["subject"] == person["id"] and erased["sequence"] == 2
    # Fields gone: over HTTP and in the store itself.
    got = staff.get(f"/registry/v1/people/{person['id']}").json
    assert got["erased"] is True and got["email"] is None and got["may_email"] is False
    assert all(not r["active"] for r in got["roles"])
    stored = repr(runtime("registry").db.people.find_one({"_id": person["id"]}))
    for secret in SECRETS:
        assert secret not in stored
    assert staff.get("/registry/v1/people").json["total"] == 0
    assert staff.get("/registry/v1/people?erased=true").json["total"] == 1
    assert staff.get(f"/registry/v1/local-groups/{group['id']}").json["contact_person_ids"] == []
    assert staff.get(f"/registry/v1/people?structure_id={msp['id']}").json["total"] == 0


def test_nothing_but_erased_is_published_about_the_person_after_an_erasure(staff, runtime):
    person = make_person(staff)
    outbox = OutboxCapture(runtime("registry"))
    staff.post(f"/registry/v1/people/{person['id']}/erase")
    assert outbox.types == ["registry.person.erased.v1"]
    assert staff.patch(f"/registry/v1/people/{person['id']}", json={"phone": "0600000000"}).status_code == 410
    assert staff.post(f"/registry/v1/people/{person['id']}/erase").status_code == 410
    assert staff.post(f"/registry/v1/people/{person['id']}/roles", json={"role": "facilitator"}).status_code == 410


def test_only_the_federations_staff_erase(staff, other_staff, as_person, runtime):
    person = make_person(staff)
    assert as_person(person["id"], "member").post(f"/registry/v1/people/{person['id']}/erase").status_code == 403
    assert other_staff.post(f"/registry/v1/people/{person['id']}/erase").status_code == 404
    assert runtime("registry").db.people.find_one({"_id": person["id"]})["first_name"] == "Camille"


def test_the_export_holds_everything_on_one_person(staff, as_person):
    msp = make_structure(staff)
    person = make_person(staff, phone="06 12 34 56 78",
                         roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    group = make_group(staff, contact_person_ids=[person["id"]])
    staff_as_person = as_person(person["id"], "coordinator")
    staff_as_person.patch(f"/registry/v1/structures/{msp['id']}", json={"phone": "02 40 00 00 00"})
    r = staff.get(f"/registry/v1/people/{person['id']}/export")
    assert r.status_code == 200
    export = r.json
    assert export["person"]["phone"] == "06 12 34 56 78"
    assert export["person"]["roles"][0]["structure_name"] == "MSP de Clisson"
    assert export["structures"] == [{"id": msp["id"], "name": "MSP de Clisson", "kind": "MSP", "city": "Clisson"}]
    assert export["local_groups_contact_of"] == [{"id": group["id"], "name": group["name"]}]
    assert staff_as_person.get(f"/registry/v1/people/{person['id']}/export").status_code == 200


def test_nobody_else_exports_a_person(staff, other_staff, as_person, member):
    person = make_person(staff)
    assert member.get(f"/registry/v1/people/{person['id']}/export").status_code == 403
    assert other_staff.get(f"/registry/v1/people/{person['id']}/export").status_code == 404
    assert staff.get("/registry/v1/people/nobody/export").status_code == 404
