"""A full PACTE cohort, through the HTTP api, the outbox and the real broker: applications → committee →
learners and reserve → seminars with attendance → defence → certificate verified publicly."""
from __future__ import annotations

from shared.testing import running_worker
from shared.testing.contract import assert_matches_asyncapi
from training_kit import days_ago


def test_a_pacte_msp_promotion_runs_from_applications_to_a_publicly_verified_certificate(training, capture):
    cap = capture("training.#")
    staff = training.staff()
    trainer = training.person(role="facilitator", first="Sophie")
    programme = training.programme()
    cohort = training.cohort(programme["id"], seats=2, trainers=[trainer], number=8)
    assert cohort["name"] == "PACTE MSP — promotion n°8" and cohort["status"] == "open"
    assert cohort["trainers"][0]["name"].startswith("Sophie")

    # Three coordinators of MSP apply; one withdraws before the committee sits.
    people = [training.coordinator() for _ in range(4)]
    apps = [training.apply(cohort["id"], pid, sid) for pid, sid in people]
    training.post_ok(training.as_person(people[3][0]), f"/training/v1/applications/{apps[3]['id']}/withdraw",
                     {"reason": "Changement de poste"})

    # The committee (federation + ARS) sits, scores and decides.
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-applications")
    training.committee(cohort["id"])
    for app, (fed_score, ars_score) in zip(apps[:3], [(14, 12), (17, 19), (15, 15)]):
        training.score(app["id"], fed_score, "Claire Dupont")
        training.score(app["id"], ars_score, "Marc Lefèvre")
        training.decide(app["id"], "shortlisted", "Dossier complet")
        decided = training.decide(app["id"], "accepted", "Retenu par le comité")
        assert decided["decisions"][-1]["by"] == "staff-1"
        assert {m["body"] for m in decided["decisions"][-1]["committee"]} == {"federation", "ars"}
    closed = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-selection")
    assert closed["taken"] == 2

    # Two seats: the two best scores are learners, the third is first on the reserve list.
    best, second, third = apps[1], apps[2], apps[0]
    reserve = staff.get(f"/training/v1/cohorts/{cohort['id']}/reserve").json
    assert [a["id"] for a in reserve] == [third["id"]] and reserve[0]["reserve_rank"] == 1
    learners = staff.get(f"/training/v1/cohorts/{cohort['id']}/learners").json["items"]
    assert {ln["application_id"] for ln in learners} == {best["id"], second["id"]}

    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/start")

    # A seminar; the trainer records attendance per half-day.
    seminar = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/seminars", {
        "theme": "Prise de poste", "starts_on": days_ago(10), "ends_on": days_ago(9), "with_leaders": True,
        "place": {"name": "Maison des associations", "city": "Clermont-Ferrand"}}, status=201)
    assert len(seminar["half_days"]) == 4
    as_trainer = training.as_person(trainer, roles=["trainer"])
    learner_ids = [ln["id"] for ln in learners]
    records = [{"learner_id": lid, "half_day": hd, "status": "present"} for lid in learner_ids
               for hd in seminar["half_days"]]
    records[-1]["status"] = "late"
    r = as_trainer.put(f"/training/v1/seminars/{seminar['id']}/attendance", json={"records": records})
    assert r.status_code == 200, r.json
    assert r.json == {"recorded": 8, "warned": []}

    # Validation: deliverables and a passed defence.
    for lid in learner_ids:
        for name in ("Projet de santé", "Mémoire"):
            training.post_ok(as_trainer, f"/training/v1/learners/{lid}/deliverables",
                             {"name": name, "received_on": days_ago(3)})
        r = as_trainer.put(f"/training/v1/learners/{lid}/defence",
                           json={"date": days_ago(1), "outcome": "passed", "jury": ["EHESP", "FemasAURA&Co"]})
        assert r.status_code == 200, r.json

    completed = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/complete")
    assert completed["status"] == "completed"
    learner = staff.get(f"/training/v1/learners/{learner_ids[0]}").json
    assert learner["status"] == "certified"

    # Anyone can check the certificate with its code, without a token; it shows no more than a diploma.
    r = training.api.anonymous().get(f"/training/v1/certificates/{learner['certificate_code']}")
    assert r.status_code == 200, r.json
    assert set(r.json) == {"code", "valid", "holder_name", "programme", "certification", "cohort", "issued_on"}
    assert r.json["programme"] == "PACTE MSP" and r.json["cohort"] == "PACTE MSP — promotion n°8"
    assert r.json["holder_name"] == f"{learner['person']['first_name']} {learner['person']['last_name']}"
    assert training.api.anonymous().get("/training/v1/certificates/PACTEMSP-AAAA-BBBB-CCCC").status_code == 404

    stats = staff.get("/training/v1/stats").json
    assert stats["completion_rate"] == 1.0 and stats["cohorts"][0]["applications"] == 4
    assert stats["cohorts"][0]["attendance_rate"] == 1.0

    # What went over the broker, every event matching the AsyncAPI contract.
    with running_worker(training.rt):
        cap.wait_count("training.learner.certified.v1", 2)
        cap.wait_for("training.cohort.completed.v1")
    types = [e["type"] for e in cap.received]
    for expected in ("training.cohort.opened.v1", "training.application.submitted.v1",
                     "training.application.withdrawn.v1", "training.application.decided.v1",
                     "training.cohort.selection_closed.v1", "training.learner.enrolled.v1",
                     "training.cohort.started.v1", "training.seminar.scheduled.v1",
                     "training.learner.certified.v1", "training.cohort.completed.v1"):
        assert expected in types, expected
    for envelope in cap.received:
        assert_matches_asyncapi(envelope)
    certified = [e for e in cap.received if e["type"] == "training.learner.certified.v1"]
    assert certified[0]["data"]["verification_url"].endswith(certified[0]["data"]["certificate_code"])
    assert certified[0]["data"]["person"]["email"]
    scheduled = next(e for e in cap.received if e["type"] == "training.seminar.scheduled.v1")
    assert len(scheduled["data"]["learners"]) == 2 and scheduled["data"]["place"]["city"] == "Clermont-Ferrand"
