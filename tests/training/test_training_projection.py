"""The registry projection: idempotent, sequence-ordered, purged on erasure; and through the real broker."""
from __future__ import annotations

from services.training.store import APPLICATIONS, CERTIFICATES, LEARNERS, PEOPLE, STRUCTURES
from services.training.worker import registry_projection
from shared.testing import make_event, run_handler, running_worker, wait_until

PERSON = {"id": "p-1", "federation": "femasaura", "first_name": "Léa", "last_name": "Bernard",
          "email": "lea@example.org", "phone": "0600000000", "may_email": True, "demo": True,
          "roles": [{"structure_id": "s-1", "role": "coordinator", "start_on": "2021-01-01", "end_on": None}],
          "version": 1}


def _run(training, type, data, sequence):
    envelope = make_event(type, data, subject=data["id"], sequence=sequence, federation=data.get("federation"))
    return envelope, run_handler(training.rt, registry_projection(), envelope)


def test_the_same_event_twice_is_applied_once(training):
    envelope, outcome = _run(training, "registry.person.registered.v1", PERSON, 1)
    assert outcome == "handled"
    assert run_handler(training.rt, registry_projection(), envelope) == "duplicate"
    doc = training.rt.db[PEOPLE].find_one({"_id": "p-1"})
    assert doc["last_name"] == "Bernard" and "phone" not in doc  # only what training needs


def test_an_older_event_never_rolls_the_projection_back(training):
    _run(training, "registry.person.updated.v1", {**PERSON, "last_name": "Nouveau", "version": 3}, 3)
    _run(training, "registry.person.updated.v1", {**PERSON, "last_name": "Ancien", "version": 2}, 2)
    assert training.rt.db[PEOPLE].find_one({"_id": "p-1"})["last_name"] == "Nouveau"


def test_structures_are_projected(training):
    _run(training, "registry.structure.registered.v1", {
        "id": "s-1", "federation": "femasaura", "kind": "MSP", "name": "MSP des Volcans", "city": "Riom",
        "department": "63", "status": "aci", "local_group_id": None, "archived": False, "finess": "630000000",
        "version": 1}, 1)
    doc = training.rt.db[STRUCTURES].find_one({"_id": "s-1"})
    assert doc["name"] == "MSP des Volcans" and "finess" not in doc


def test_an_erasure_purges_the_person_and_their_personal_data_but_keeps_the_counts(training):
    cohort, apps, people = training.selected_cohort(seats=1, applicants=2)
    training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/start")
    learner_id = training.learner_of(apps[0]["id"])
    staff = training.staff()
    for name in ("Projet de santé", "Mémoire"):
        training.post_ok(staff, f"/training/v1/learners/{learner_id}/deliverables",
                         {"name": name, "received_on": "2024-10-01"})
    assert staff.put(f"/training/v1/learners/{learner_id}/defence",
                     json={"date": "2024-11-01", "outcome": "passed"}).status_code == 200
    code = training.post_ok(staff, f"/training/v1/learners/{learner_id}/certificate", status=201)["certificate_code"]

    erased = people[0]
    training.feed("registry.person.erased.v1", {"id": erased, "federation": "femasaura"}, sequence=2)
    db = training.rt.db
    assert db[PEOPLE].find_one({"_id": erased}) == {"_id": erased, "sequence": 2, "deleted": True, "erased": True}
    assert db[APPLICATIONS].count_documents({"person_id": erased}) == 0
    app = db[APPLICATIONS].find_one({"_id": apps[0]["id"]})
    assert app["motivation"] is None and app["erased"] and app["status"] == "accepted"
    assert db[LEARNERS].count_documents({"person_id": erased}) == 0
    assert db[LEARNERS].count_documents({"cohort_id": cohort["id"]}) == 1
    certificate = db[CERTIFICATES].find_one({"_id": code})
    assert certificate["holder_name"] is None and "person_id" not in certificate
    public = training.api.anonymous().get(f"/training/v1/certificates/{code}").json
    assert public["holder_name"] is None and public["programme"] == "PACTE MSP"
    # A late registered/updated event of the erased person does not bring them back, even a newer one.
    training.feed("registry.person.updated.v1", {**PERSON, "id": erased, "version": 1}, sequence=1)
    training.feed("registry.person.updated.v1", {**PERSON, "id": erased, "version": 3}, sequence=3)
    assert db[PEOPLE].find_one({"_id": erased}) == {"_id": erased, "sequence": 2, "deleted": True, "erased": True}
    assert staff.get("/training/v1/stats").json["cohorts"][0]["applications"] == 2


def test_the_worker_projects_registry_events_from_the_broker(training, settings):
    from shared.bus.connection import connect, events_exchange
    from kombu import Producer
    import json

    with running_worker(training.rt):
        envelope = make_event("registry.person.registered.v1", PERSON, subject="p-1", sequence=1,
                              federation="femasaura")
        with connect(settings, confirms=True) as conn:
            Producer(conn.default_channel, exchange=events_exchange(settings)).publish(
                json.dumps(envelope), routing_key="registry.person.registered",
                content_type="application/cloudevents+json", delivery_mode=2)
        # a single upsert leaves no processed record: the projected document is the sign it was handled
        wait_until(lambda: training.rt.db[PEOPLE].find_one({"_id": "p-1"}), message="p-1 projected")
    assert training.rt.db[PEOPLE].find_one({"_id": "p-1"})["first_name"] == "Léa"


def test_an_erased_trainer_leaves_cohorts_and_seminars_by_name(training):
    trainer = training.person(role="facilitator", first="Agathe")
    cohort = training.cohort(trainers=[trainer])
    seminar = training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Prise de poste", "starts_on": "2024-06-20", "ends_on": "2024-06-21", "place": {"city": "Lyon"}},
        status=201)
    assert seminar["trainers"][0]["name"].startswith("Agathe")
    training.feed("registry.person.erased.v1", {"id": trainer, "federation": "femasaura"}, sequence=2)
    staff = training.staff()
    for path in (f"/training/v1/cohorts/{cohort['id']}", f"/training/v1/seminars/{seminar['id']}"):
        trainers = staff.get(path).json["trainers"]
        assert trainers[0]["person_id"] is None and "Agathe" not in trainers[0]["name"]
