"""Certificates (diploma records): issued to validated learners, verifiable by anyone with the code.

The public check shows no more than a paper diploma does: holder's name, programme, cohort, date.
"""
from __future__ import annotations

import re

from pymongo.errors import DuplicateKeyError

from services.training import rules
from services.training.access import load_to_manage, save
from services.training.events import LEARNER_CERTIFIED, SOURCE
from services.training.learners import event_data, gaps, present as present_learner
from services.training.projection import full_name, person_ref
from services.training.store import CERTIFICATES, COHORTS, LEARNERS, PROGRAMMES
from shared import clock
from shared.bus.outbox import Tx, atomic
from shared.dates import as_date, to_mongo
from shared.errors import NotFound, RuleBroken
from shared.http.auth import Principal


def verification_url(settings, code: str) -> str:
    """Where a person checks a certificate: the web console's page (`web/ROUTES.md`), which reads the public
    `GET /training/v1/certificates/<code>`; what e-mails, QR codes and `training.learner.certified` carry."""
    return f"{settings.public_base_url.rstrip('/')}/certificats/{code}"


def issue(tx: Tx, settings, learner: dict, cohort: dict, by: str) -> dict:
    """Certify a validated learner (inside the caller's transaction)."""
    programme = tx.db[PROGRAMMES].find_one({"_id": cohort["programme_id"]}, session=tx.session) or {}
    missing = rules.validation_gaps(learner, programme.get("required_deliverables", []))
    if missing:
        raise RuleBroken("L'apprenant ne peut pas encore être certifié : " + " ; ".join(missing) + ".", "status")
    holder = person_ref(tx.db, learner.get("person_id"), tx.session)
    issued_on = clock.today()
    for _ in range(5):
        code = rules.certificate_code(cohort["programme"]["code"])
        if tx.db[CERTIFICATES].find_one({"_id": code}, {"_id": 1}, session=tx.session) is None:
            break
    certificate = {"_id": code, "federation": learner["federation"], "learner_id": learner["_id"],
                   "person_id": learner.get("person_id"), "holder_name": full_name(holder),
                   "programme_code": cohort["programme"]["code"], "programme_name": cohort["programme"]["name"],
                   "certification": programme.get("certification"), "cohort_name": cohort["name"],
                   "cohort_number": cohort["number"], "issued_on": to_mongo(issued_on), "issued_by": by,
                   "created_at": clock.now()}
    tx.db[CERTIFICATES].insert_one(certificate, session=tx.session)
    new = save(tx, LEARNERS, learner, by, status="certified", certificate_code=code, certified_on=to_mongo(issued_on))
    tx.emit(LEARNER_CERTIFIED, subject=new["_id"], sequence=new["version"], federation=new["federation"],
            data={**event_data(tx, new, cohort), "certificate_code": code,
                  "verification_url": verification_url(settings, code), "issued_on": issued_on,
                  "certification": programme.get("certification")})
    return new


def certify(db, settings, principal: Principal, learner_id: str) -> dict:
    learner = load_to_manage(db, LEARNERS, learner_id, principal, "learner")
    cohort = db[COHORTS].find_one({"_id": learner["cohort_id"]})
    if cohort["status"] != "in_progress":
        raise RuleBroken("Les apprenants sont certifiés pendant que leur cohorte est en cours (ou à sa clôture).",
                         "status")
    missing = gaps(db, learner)
    if missing:
        raise RuleBroken("L'apprenant ne peut pas encore être certifié : " + " ; ".join(missing) + ".", "status")

    def work(tx: Tx) -> dict:
        fresh = tx.db[LEARNERS].find_one({"_id": learner_id}, session=tx.session)
        return issue(tx, settings, fresh, cohort, principal.sub)
    try:
        return present_learner(atomic(db, SOURCE, work), db)
    except DuplicateKeyError:
        raise RuleBroken("L'apprenant a déjà un certificat.", "status") from None


def verify(db, code: str) -> dict:
    """Public: a certificate by its code, or 404."""
    code = code.strip().upper()
    doc = db[CERTIFICATES].find_one({"_id": code}) if re.fullmatch(rules.CODE_PATTERN, code) else None
    if doc is None:
        raise NotFound("certificate")
    return {"code": doc["_id"], "valid": True, "holder_name": doc.get("holder_name"),
            "programme": doc["programme_name"], "certification": doc.get("certification"),
            "cohort": doc["cohort_name"], "issued_on": as_date(doc["issued_on"])}
