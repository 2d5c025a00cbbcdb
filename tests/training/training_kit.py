"""Training test kit: a registry projection fed with registry events, and a staff client."""
from __future__ import annotations

import datetime as dt
import uuid

from services.training.worker import registry_projection
from shared.testing import make_event, run_handler

FED = "femasaura"
PACTE_MSP = {
    "code": "pacte-msp", "name": "PACTE MSP",
    "full_name": "Programme d'Amélioration Continue du Travail en Equipe — MSP",
    "structure_kinds": ["MSP"], "certification": "diplôme de l'EHESP",
    "seminar_themes": [{"theme": t} for t in ("Prise de poste", "Projet de santé", "Gestion de la structure",
                                               "Dynamique d'équipe", "Démarche qualité")],
    "required_deliverables": ["Projet de santé", "Mémoire"], "days_per_seminar": 2, "absence_threshold": 3,
}


def days_ago(n: int) -> str:
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


class Training:
    """What a training test needs: people and structures in the projection, and clients by role."""

    def __init__(self, api, runtime):
        self.api = api("training")
        self.rt = runtime("training")
        self.seq: dict[str, int] = {}
        self.default_programmes: dict[str, str] = {}

    # registry projection
    def feed(self, type: str, data: dict, sequence: int | None = None) -> dict:
        seq = sequence or self.seq.get(data["id"], 0) + 1
        self.seq[data["id"]] = max(seq, self.seq.get(data["id"], 0))
        envelope = make_event(type, data, subject=data["id"], sequence=seq, federation=data.get("federation"))
        run_handler(self.rt, registry_projection(), envelope)
        return envelope

    def structure(self, kind="MSP", federation=FED, name=None) -> str:
        sid = str(uuid.uuid4())
        self.feed("registry.structure.registered.v1", {
            "id": sid, "federation": federation, "kind": kind, "name": name or f"{kind} {sid[:4]}", "city": "Lyon",
            "department": "69", "status": "aci", "local_group_id": None, "archived": False, "version": 1})
        return sid

    def person(self, structure_id=None, federation=FED, role="coordinator", first="Camille", last=None,
               email=True) -> str:
        pid = str(uuid.uuid4())
        last = last or f"Martin-{pid[:4]}"
        self.feed("registry.person.registered.v1", {
            "id": pid, "federation": federation, "first_name": first, "last_name": last,
            "email": f"{first.lower()}.{pid[:4]}@example.org" if email else None, "phone": None,
            "may_email": True, "demo": True,
            "roles": [{"structure_id": structure_id, "role": role, "start_on": "2020-01-01", "end_on": None}],
            "version": 1})
        return pid

    def coordinator(self, kind="MSP", federation=FED, **kw) -> tuple[str, str]:
        sid = self.structure(kind, federation)
        return self.person(sid, federation, **kw), sid

    # clients
    def staff(self, federation=FED):
        return self.api.as_user(federation, ["staff"], sub="staff-1")

    def as_person(self, pid, roles=("coordinator",), federation=FED):
        return self.api.as_user(federation, list(roles), sub=pid)

    # building blocks
    def programme(self, federation=FED, **overrides) -> dict:
        r = self.staff(federation).post("/training/v1/programmes", json={**PACTE_MSP, **overrides})
        assert r.status_code == 201, r.json
        return r.json

    def cohort(self, programme_id=None, seats=3, federation=FED, trainers=(), **overrides) -> dict:
        if programme_id is None:
            if federation not in self.default_programmes:
                self.default_programmes[federation] = self.programme(federation)["id"]
            programme_id = self.default_programmes[federation]
        body = {"programme_id": programme_id, "city": "Clermont-Ferrand", "department": "63", "seats": seats,
                "trainers": [{"person_id": t} for t in trainers], "starts_on": days_ago(40), **overrides}
        r = self.staff(federation).post("/training/v1/cohorts", json=body)
        assert r.status_code == 201, r.json
        return r.json

    def apply(self, cohort_id, pid, sid, federation=FED) -> dict:
        r = self.as_person(pid, federation=federation).post(
            f"/training/v1/cohorts/{cohort_id}/applications",
            json={"structure_id": sid, "motivation": "Je coordonne l'équipe depuis deux ans et souhaite me former."})
        assert r.status_code == 201, r.json
        return r.json

    def committee(self, cohort_id, federation=FED) -> dict:
        r = self.staff(federation).post(f"/training/v1/cohorts/{cohort_id}/committee", json={
            "sat_on": days_ago(45), "members": [{"name": "Claire Dupont", "body": "federation"},
                                                {"name": "Marc Lefèvre", "body": "ars"}]})
        assert r.status_code == 200, r.json
        return r.json

    def post_ok(self, client, path, json=None, status=200) -> dict:
        r = client.post(path, json=json if json is not None else {})
        assert r.status_code == status, (path, r.json)
        return r.json

    def decide(self, application_id, decision, reason="Projet solide et équipe engagée.") -> dict:
        return self.post_ok(self.staff(), f"/training/v1/applications/{application_id}/decision",
                            {"decision": decision, "reason": reason})

    def score(self, application_id, score, member="Claire Dupont") -> dict:
        return self.post_ok(self.staff(), f"/training/v1/applications/{application_id}/scores",
                            {"member": member, "score": score})

    def selected_cohort(self, seats=2, applicants=4, trainers=()) -> tuple[dict, list[dict], list[str]]:
        """A cohort whose `applicants` applications were all accepted (scores descending) and selection closed."""
        cohort = self.cohort(seats=seats, trainers=trainers)
        apps, people = [], []
        for i in range(applicants):
            pid, sid = self.coordinator()
            people.append(pid)
            apps.append(self.apply(cohort["id"], pid, sid))
        self.committee(cohort["id"])
        for i, a in enumerate(apps):
            self.score(a["id"], 18 - i)
            self.decide(a["id"], "accepted")
        staff = self.staff()
        self.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-applications")
        self.post_ok(staff, f"/training/v1/cohorts/{cohort['id']}/close-selection")
        return cohort, apps, people

    def running_cohort(self, seats=2, applicants=None, trainer_role="facilitator", trainer_first="Inès"):
        """A started cohort whose seats are taken, with its trainer: (cohort, applications, people, trainer)."""
        trainer = self.person(role=trainer_role, first=trainer_first)
        cohort, apps, people = self.selected_cohort(seats=seats, applicants=applicants or seats, trainers=[trainer])
        self.post_ok(self.staff(), f"/training/v1/cohorts/{cohort['id']}/start")
        return cohort, apps, people, trainer

    def seminar(self, cohort_id, start=20, theme="Projet de santé", place=None) -> dict:
        """A two-day seminar of the cohort that began `start` days ago."""
        return self.post_ok(self.staff(), f"/training/v1/cohorts/{cohort_id}/seminars", {
            "theme": theme, "starts_on": days_ago(start), "ends_on": days_ago(start - 1),
            "place": place or {"city": "Lyon"}}, status=201)

    def learner_of(self, application_id) -> str:
        return self.staff().get(f"/training/v1/applications/{application_id}").json["learner_id"]
