"""The public directory of local groups: what the console's group agenda is titled by, no personal data."""
from registry_builders import make_group, make_person, make_structure


def test_local_groups_are_listed_without_token_and_without_their_contacts(api, staff, other_staff):
    msp = make_structure(staff)
    contact = make_person(staff, roles=[{"role": "federation_staff"}])
    group = make_group(staff, label="GL 44 est", structure_ids=[msp["id"]], contact_person_ids=[contact["id"]])
    make_group(other_staff, name="Groupe coordos Aube", department="10")
    anonymous = api("registry").anonymous()
    r = anonymous.get("/registry/v1/local-groups/public?federation=apmsl")
    assert r.status_code == 200, r.json
    assert r.json["items"] == [{"id": group["id"], "name": "Groupe local 44 est", "label": "GL 44 est",
                                "federation": "apmsl", "department": "44", "structure_count": 1}]
    assert "Guérin" not in r.get_data(as_text=True) and contact["id"] not in r.get_data(as_text=True)
    assert anonymous.get("/registry/v1/local-groups/public").json["total"] == 2
    assert anonymous.get("/registry/v1/local-groups/public?department=10").json["items"][0]["federation"] == "femage"
    one = anonymous.get(f"/registry/v1/local-groups/public/{group['id']}")
    assert one.status_code == 200 and one.json["name"] == "Groupe local 44 est"


def test_the_directory_validates_its_filters_and_answers_404_problems(api):
    anonymous = api("registry").anonymous()
    r = anonymous.get("/registry/v1/local-groups/public?department=999")
    assert r.status_code == 422 and "department" in r.json["errors"]
    missing = anonymous.get("/registry/v1/local-groups/public/nope")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_a_coordinator_finds_their_structure_and_what_they_may_change(staff, as_person):
    msp = make_structure(staff)
    make_structure(staff, name="MSP voisine", city="Vallet")
    coordinator = make_person(staff, roles=[{"role": "coordinator", "structure_id": msp["id"]}])
    me = as_person(coordinator["id"])
    r = me.get("/registry/v1/me/structures")
    assert r.status_code == 200, r.json
    [mine] = r.json["items"]
    assert mine["structure"]["id"] == msp["id"]
    assert mine["editable_fields"] == ["address", "email", "phone", "website"]
    etag = me.get(f"/registry/v1/structures/{msp['id']}").headers["ETag"]
    changed = me.patch(f"/registry/v1/structures/{msp['id']}", json={"phone": "02 40 00 00 00"},
                       headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["phone"] == "02 40 00 00 00"
    export = me.get("/registry/v1/me/export")
    assert export.status_code == 200 and export.json["person"]["id"] == coordinator["id"]
    assert staff.get("/registry/v1/me/structures").json == {"items": []}
