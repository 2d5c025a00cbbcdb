"""A person's own trainings (the web console's "mes formations"): their learner records with cohort, programme,
seminars and their attendance per half-day, their certificate; and the export of what training keeps of them.

The caller is the token's person (`sub` = registry person id) in their own federation; applications are listed
by `GET /v1/applications` (a non-staff caller sees their own).
"""
from __future__ import annotations

from services.training import applications, learners, seminars
from services.training.certificates import verification_url
from services.training.store import APPLICATIONS, ATTENDANCE, CERTIFICATES, COHORTS, LEARNERS, SEMINARS
from shared import clock
from shared.dates import iso_dates
from shared.http.auth import Principal
from shared.me import own_person_id

MAX_OWN = 200


OWN_TRAININGS = ("Seul un membre d'une fédération a ses propres formations (les rôles nationaux consultent, sans "
                 "jamais écrire).")


def _mine(principal: Principal) -> dict:
    return {"person_id": own_person_id(principal, OWN_TRAININGS), "federation": principal.federation}


def my_trainings(db, principal: Principal, settings) -> dict:
    """Each cohort the caller is (or was) a learner of, latest first, with its seminars and their attendance."""
    records = list(db[LEARNERS].find(_mine(principal)).sort("enrolled_at", -1).limit(MAX_OWN))
    cohorts = {c["_id"]: c for c in db[COHORTS].find({"_id": {"$in": [r["cohort_id"] for r in records]}})}
    items = []
    for record in records:
        cohort = cohorts.get(record["cohort_id"]) or {}
        marks = {}
        for a in db[ATTENDANCE].find({"learner_id": record["_id"]}):
            marks.setdefault(a["seminar_id"], {})[a["half_day"]] = a["status"]
        shown_seminars = []
        for seminar in db[SEMINARS].find({"cohort_id": record["cohort_id"]}).sort("starts_on", 1):
            mine = marks.get(seminar["_id"], {})
            shown_seminars.append({**seminars.present(seminar), "my_attendance": {
                "present": sorted(h for h, s in mine.items() if s == "present"),
                "absent": sorted(h for h, s in mine.items() if s == "absent"),
                "not_recorded": [h for h in seminar.get("half_days", []) if h not in mine]}})
        code = record.get("certificate_code")
        items.append({
            "learner": learners.present(record, db),
            "cohort": {"id": cohort.get("_id"), "name": cohort.get("name"), "status": cohort.get("status"),
                       "programme": cohort.get("programme")},
            "seminars": shown_seminars,
            "certificate": {"code": code, "verification_url": verification_url(settings, code)} if code else None,
        })
    return {"items": items}



def my_export(db, principal: Principal) -> dict:
    """Everything training keeps of the caller (GDPR, right of access): applications (without the committee's
    scores), learner records, attendance, certificates."""
    mine = _mine(principal)
    learner_ids = [r["_id"] for r in db[LEARNERS].find(mine, {"_id": 1})]
    return iso_dates({
        "service": "training", "person_id": mine["person_id"], "exported_at": clock.now(),
        "applications": [applications.present(d, db, committee_view=False) for d in db[APPLICATIONS].find(mine)],
        "learners": [learners.present(d) for d in db[LEARNERS].find(mine)],
        "attendance": [{k: v for k, v in a.items() if k != "_id"}
                       for a in db[ATTENDANCE].find({"learner_id": {"$in": learner_ids}})],
        "certificates": [{**{k: v for k, v in c.items() if k != "_id"}, "code": c["_id"]}
                         for c in db[CERTIFICATES].find({"person_id": mine["person_id"],
                                                         "federation": mine["federation"]})],
    })
