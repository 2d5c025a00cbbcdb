"""A `national` token reads every federation's training and changes none of it."""
from __future__ import annotations

import pytest

from shared.testing.national import NATIONAL_READERS, snapshot

from shared.testing import OutboxCapture
from training_kit import PACTE_MSP, days_ago

PROBLEM = "application/problem+json"
T = "/training/v1"

# Every route that writes, with a body valid for it (creations aimed at the scene's federation).
WRITES = [
    ("POST", "/programmes", {**PACTE_MSP, "code": "pacte-national"}),
    ("PATCH", "/programmes/{programme}", {"name": "PACTE national"}),
    ("POST", "/cohorts", {"programme_id": "{programme}", "city": "Lyon", "seats": 2}),
    ("PATCH", "/cohorts/{cohort}", {"seats": 9}),
    ("POST", "/cohorts/{open_cohort}/close-applications", {}),
    ("POST", "/cohorts/{open_cohort}/committee", {"sat_on": days_ago(3), "members": [
        {"name": "Claire Dupont", "body": "federation"}, {"name": "Marc Lefèvre", "body": "ars"}]}),
    ("POST", "/cohorts/{cohort}/start", {}),
    ("POST", "/cohorts/{cohort}/complete", {}),
    ("POST", "/cohorts/{cohort}/cancel", {"reason": "décision nationale"}),
    ("POST", "/cohorts/{open_cohort}/close-selection", {}),
    ("POST", "/cohorts/{open_cohort}/applications", {"structure_id": "{structure}", "motivation": "x" * 30}),
    ("POST", "/cohorts/{cohort}/seminars", {"theme": "Prise de poste", "starts_on": days_ago(-10),
                                            "ends_on": days_ago(-11), "place": {"city": "Lyon"}}),
    ("POST", "/applications/{open_application}/withdraw", {}),
    ("POST", "/applications/{open_application}/scores", {"member": "Claire Dupont", "score": 12}),
    ("POST", "/applications/{open_application}/decision", {"decision": "accepted", "reason": "Projet solide."}),
    ("POST", "/learners/{learner}/withdraw", {}),
    ("POST", "/learners/{learner}/deliverables", {"name": "Mémoire", "received_on": days_ago(1)}),
    ("PUT", "/learners/{learner}/defence", {"date": days_ago(1), "outcome": "passed"}),
    ("POST", "/learners/{learner}/certificate", {}),
    ("PATCH", "/seminars/{seminar}", {"theme": "Thème national"}),
    ("POST", "/seminars/{seminar}/cancel", {"reason": "décision nationale"}),
    ("PUT", "/seminars/{seminar}/attendance", {"records": [{"learner_id": "{learner}", "half_day": "{half_day}",
                                                            "status": "present"}]}),
]
NATIONALS = NATIONAL_READERS


def _fill(value, scene):
    if isinstance(value, dict):
        return {k: _fill(v, scene) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, scene) for v in value]
    return value.format(**scene) if isinstance(value, str) else value


def _state(db) -> dict:
    return snapshot(db)


@pytest.fixture
def scene(training):
    cohort, apps, people, trainer = training.running_cohort(seats=1, trainer_role="trainer")
    seminar = training.seminar(cohort["id"], 10, theme="Prise de poste",
                               place={"name": "Maison des associations", "city": "Clermont-Ferrand"})
    open_cohort = training.cohort(seats=2)
    pid, sid = training.coordinator()
    open_application = training.apply(open_cohort["id"], pid, sid)
    return {"programme": cohort["programme_id"], "cohort": cohort["id"], "open_cohort": open_cohort["id"],
            "open_application": open_application["id"], "structure": sid, "applicant": pid,
            "learner": training.learner_of(apps[0]["id"]), "seminar": seminar["id"],
            "half_day": seminar["half_days"][0], "trainer": trainer}


@pytest.mark.parametrize("who", NATIONALS)
def test_national_reader_changes_nothing_in_training(training, scene, who):
    federation, roles = NATIONALS[who]
    before, outbox = _state(training.rt.db), OutboxCapture(training.rt)
    for method, path, body in WRITES:
        if path == "/programmes" and "admin" in roles:
            continue  # FEMAGE's admin creates FEMAGE's programmes: not a write to FEMASAURA
        for sub in ("national-reader", scene["applicant"], scene["trainer"]):
            national = training.api.as_user(federation, roles, sub=sub)
            r = national.client.open(T + path.format(**scene), method=method, json=_fill(body, scene),
                                     headers=national.headers)
            assert r.status_code in (403, 404) and r.mimetype == PROBLEM, (method, path, sub, r.status_code, r.json)
    assert _state(training.rt.db) == before and outbox.events == []


def test_national_reader_still_reads_training(training, scene):
    national = training.api.as_user(None, ["national"], sub="national-reader")
    assert national.get(f"{T}/cohorts/{scene['cohort']}").status_code == 200
    assert national.get(f"{T}/cohorts/{scene['cohort']}/learners").json["total"] == 1
    assert national.get(f"{T}/seminars/{scene['seminar']}/attendance").status_code == 200
