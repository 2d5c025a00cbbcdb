"""Applications: who may apply, one per person per cohort, committee scores and decisions."""
from __future__ import annotations

from shared.testing import OutboxCapture


def _apply(training, cohort_id, pid, sid, **extra):
    return training.as_person(pid).post(f"/training/v1/cohorts/{cohort_id}/applications", json={
        "structure_id": sid, "motivation": "Je souhaite consolider ma posture de coordinatrice.", **extra})


def test_a_coordinator_applies_for_themself_and_the_event_says_who_to_write_to(training):
    cohort = training.cohort()
    pid, sid = training.coordinator()
    outbox = OutboxCapture(training.rt)
    r = _apply(training, cohort["id"], pid, sid)
    assert r.status_code == 201, r.json
    assert r.json["status"] == "submitted" and r.json["person"]["id"] == pid
    data = outbox.of("training.application.submitted.v1")[0]["data"]
    assert data["person"]["email"] and data["person"]["may_email"] is True
    assert data["cohort"]["programme"]["code"] == "pacte-msp" and data["structure"]["kind"] == "MSP"


def test_one_application_per_person_per_cohort(training):
    cohort = training.cohort()
    pid, sid = training.coordinator()
    assert _apply(training, cohort["id"], pid, sid).status_code == 201
    again = _apply(training, cohort["id"], pid, sid)
    assert again.status_code == 409 and "person_id" in again.json["errors"]
    other = training.cohort(number=9)
    assert _apply(training, other["id"], pid, sid).status_code == 201


def test_only_a_current_coordinator_of_a_structure_of_the_programmes_kind_may_apply(training):
    cohort = training.cohort()
    professional_structure = training.structure()
    professional = training.person(professional_structure, role="professional")
    r = _apply(training, cohort["id"], professional, professional_structure)
    assert r.status_code == 409 and "structure_id" in r.json["errors"]
    cpts_coordinator, cpts = training.coordinator(kind="CPTS")
    r = _apply(training, cohort["id"], cpts_coordinator, cpts)
    assert r.status_code == 409 and "CPTS" not in r.json["detail"] and "MSP" in r.json["detail"]
    unknown = _apply(training, cohort["id"], "not-in-registry", professional_structure)
    assert unknown.status_code == 422 and "person_id" in unknown.json["errors"]


def test_a_coordinator_cannot_apply_for_someone_else_but_staff_may_file_for_them(training):
    cohort = training.cohort()
    pid, sid = training.coordinator()
    other, _ = training.coordinator()
    r = _apply(training, cohort["id"], other, sid, person_id=pid)
    assert r.status_code == 403
    r = training.staff().post(f"/training/v1/cohorts/{cohort['id']}/applications", json={
        "structure_id": sid, "person_id": pid, "motivation": "Dossier papier reçu par courrier le 3 mars."})
    assert r.status_code == 201, r.json


def test_applications_close_with_the_cohort(training):
    cohort = training.cohort()
    training.post_ok(training.staff(), f"/training/v1/cohorts/{cohort['id']}/close-applications")
    pid, sid = training.coordinator()
    r = _apply(training, cohort["id"], pid, sid)
    assert r.status_code == 409 and "status" in r.json["errors"]


def test_the_committee_decides_with_who_when_why_and_the_federation_and_ars_sat(training):
    cohort = training.cohort()
    app = training.apply(cohort["id"], *training.coordinator())
    staff = training.staff()
    early = staff.post(f"/training/v1/applications/{app['id']}/decision",
                       json={"decision": "accepted", "reason": "Très bon dossier"})
    assert early.status_code == 409 and "decision" in early.json["errors"]
    no_ars = staff.post(f"/training/v1/cohorts/{cohort['id']}/committee", json={
        "sat_on": "2024-03-01", "members": [{"name": "Claire Dupont", "body": "federation"},
                                            {"name": "Paul Durand", "body": "federation"}]})
    assert no_ars.status_code == 409 and "members" in no_ars.json["errors"]
    training.committee(cohort["id"])
    stranger = staff.post(f"/training/v1/applications/{app['id']}/scores", json={"member": "Inconnu", "score": 12})
    assert stranger.status_code == 409 and "member" in stranger.json["errors"]
    training.score(app["id"], 12, "Claire Dupont")
    scored = training.score(app["id"], 16, "Marc Lefèvre")
    assert scored["score"] == 14
    outbox = OutboxCapture(training.rt)
    decided = training.decide(app["id"], "rejected", "Équipe pas encore constituée")
    assert decided["status"] == "rejected"
    event = outbox.of("training.application.decided.v1")[0]
    assert event["data"]["decision"] == "rejected" and event["data"]["reason"] == "Équipe pas encore constituée"
    assert event["data"]["decided_by"] == "staff-1" and event["data"]["score"] == 14
    assert event["sequence"] == decided["version"]
    final = staff.post(f"/training/v1/applications/{app['id']}/decision",
                       json={"decision": "accepted", "reason": "Revu"})
    assert final.status_code == 409


def test_the_selection_closes_only_once_every_application_is_decided(training):
    cohort = training.cohort()
    apps = [training.apply(cohort["id"], *training.coordinator()) for _ in range(2)]
    training.committee(cohort["id"])
    training.decide(apps[0]["id"], "accepted")
    staff = training.staff()
    training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-applications")
    r = staff.post(f"/training/v1/cohorts/{cohort['id']}/close-selection")
    assert r.status_code == 409 and "applications" in r.json["errors"]
    training.decide(apps[1]["id"], "rejected", "Hors périmètre")
    closed = training.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-selection")
    assert closed["selection_closed_at"] and closed["taken"] == 1
    late = staff.post(f"/training/v1/applications/{apps[1]['id']}/scores", json={"member": "Marc Lefèvre",
                                                                                  "score": 3})
    assert late.status_code == 409


def test_a_coordinator_sees_only_their_own_applications(training):
    cohort = training.cohort()
    mine = training.apply(cohort["id"], *(me := training.coordinator()))
    training.apply(cohort["id"], *training.coordinator())
    as_me = training.as_person(me[0])
    assert [a["id"] for a in as_me.get("/training/v1/applications").json["items"]] == [mine["id"]]
    assert as_me.get(f"/training/v1/cohorts/{cohort['id']}/applications").json["total"] == 1
    assert training.staff().get(f"/training/v1/cohorts/{cohort['id']}/applications").json["total"] == 2
    other = training.staff().get("/training/v1/applications", query_string={"status": "submitted"}).json
    assert other["total"] == 2
    theirs = training.staff().get(f"/training/v1/applications/{mine['id']}")
    assert as_me.get(f"/training/v1/applications/{mine['id']}").status_code == 200
    someone = training.as_person(training.coordinator()[0])
    assert someone.get(f"/training/v1/applications/{mine['id']}").status_code == 404
    assert theirs.status_code == 200


def test_the_applicant_sees_the_decision_and_its_reason_but_not_the_committees_scores(training):
    cohort = training.cohort()
    pid, sid = training.coordinator()
    app = training.apply(cohort["id"], pid, sid)
    training.committee(cohort["id"])
    training.score(app["id"], 9)
    training.decide(app["id"], "rejected", "Projet encore trop récent")
    mine = training.as_person(pid).get(f"/training/v1/applications/{app['id']}").json
    assert "scores" not in mine and "score" not in mine
    assert mine["decisions"][0]["reason"] == "Projet encore trop récent"
    assert "committee" not in mine["decisions"][0] and "by" not in mine["decisions"][0]
    assert training.staff().get(f"/training/v1/applications/{app['id']}").json["score"] == 9
