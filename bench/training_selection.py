"""Training benchmark (issue 5): applications and selection under concurrency, against a baseline.

Measured in one run, on the same store:
- baseline: raw pymongo `insert_one` of the same application document (no transaction, no rules);
- Maillage: `applications.submit` (projection checks, unique application per person, outbox event, one
  transaction) from concurrent coordinators over 10 cohorts;
- closing a 30-applicant selection (ranking, 20 learners enrolled, reserve list, 21 events) — the
  federations' real size;
- concurrent withdrawals of every learner of a cohort, each promoting the reserve: seats checked after.
Run: `python -m bench training_selection` (MONGO_URL for a real MongoDB; default an embedded SecantusDB).
"""
from __future__ import annotations

import os
import time
import uuid

from bench.common import CONCURRENCY, mongo, percentile, summary, timed_concurrently
from services.training import applications, cohorts, learners, programmes
from services.training.store import COHORTS, LEARNERS, PEOPLE, STRUCTURES
from shared.config import Settings
from shared.http.auth import Principal
from shared.runtime import ServiceRuntime

APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", "300"))
FED = "femasaura"
STAFF = Principal("bench-staff", FED, frozenset({"staff"}))
MOTIVATION = "Coordinatrice depuis deux ans, je souhaite consolider ma posture et le projet de santé."




def _coordinators(db, tag: str, n: int) -> list[tuple[str, str]]:
    pairs = [(f"{tag}-p{i:05d}", f"{tag}-s{i:05d}") for i in range(n)]
    db[STRUCTURES].insert_many([{"_id": s, "federation": FED, "kind": "MSP", "name": f"MSP {s}", "city": "Lyon",
                                 "archived": False, "sequence": 1} for _, s in pairs])
    db[PEOPLE].insert_many([{"_id": p, "federation": FED, "first_name": "Prénom", "last_name": p,
                             "email": f"{p}@bench.invalid", "may_email": True, "sequence": 1,
                             "roles": [{"structure_id": s, "role": "coordinator", "start_on": "2020-01-01",
                                        "end_on": None}]} for p, s in pairs])
    return pairs


def _cohort(db, programme_id: str, seats: int) -> str:
    return cohorts.create_cohort(db, STAFF, {"programme_id": programme_id, "city": "Lyon", "seats": seats})["id"]


def _selected(db, programme_id: str, tag: str, seats: int, applicants: int) -> tuple[str, float]:
    cohort_id = _cohort(db, programme_id, seats)
    apps = [applications.submit(db, STAFF, cohort_id, {"structure_id": s, "person_id": p, "motivation": MOTIVATION})
            for p, s in _coordinators(db, tag, applicants)]
    cohorts.record_committee(db, STAFF, cohort_id, {"sat_on": __import__("datetime").date(2024, 3, 1), "members": [
        {"name": "Fédération", "body": "federation"}, {"name": "ARS", "body": "ars"}]})
    for i, a in enumerate(apps):
        applications.score(db, STAFF, a["id"], {"member": "ARS", "score": (i * 7) % 20})
        applications.decide(db, STAFF, a["id"], {"decision": "accepted", "reason": "Retenu"})
    cohorts.close_applications(db, STAFF, cohort_id)
    started = time.perf_counter()
    cohorts.close_selection(db, STAFF, cohort_id)
    return cohort_id, (time.perf_counter() - started) * 1000


def main() -> None:
    with mongo() as url:
        settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{uuid.uuid4().hex[:6]}_", amqp_url="memory://",
                            log_json=False, log_level="WARNING")
        runtime = ServiceRuntime("training", settings)
        runtime.ensure_indexes()
        db = runtime.db
        print(f"{APPLICANTS} applications, {CONCURRENCY} concurrent clients, store {url.split('?')[0]}")
        programme = programmes.create_programme(db, STAFF, {"code": "pacte-msp", "name": "PACTE MSP",
                                                            "structure_kinds": ["MSP"]})

        raw = _coordinators(db, "raw", APPLICANTS)
        base_rps, base_lat = timed_concurrently(lambda pair: db["bench_raw"].insert_one({
            "_id": str(uuid.uuid4()), "federation": FED, "cohort_id": "raw", "person_id": pair[0],
            "structure_id": pair[1], "motivation": MOTIVATION, "status": "submitted", "scores": [],
            "decisions": [], "version": 1}), raw)
        print(f"baseline raw insert_one          : {base_rps:7.0f} /s ({summary(base_lat)})")

        cohort_ids = [_cohort(db, programme["id"], 20) for _ in range(10)]
        pairs = list(enumerate(_coordinators(db, "app", APPLICANTS)))
        rps, lat = timed_concurrently(lambda item: applications.submit(
            db, Principal(item[1][0], FED, frozenset({"coordinator"})), cohort_ids[item[0] % 10],
            {"structure_id": item[1][1], "motivation": MOTIVATION}), pairs)
        print(f"Maillage applications.submit     : {rps:7.0f} /s ({summary(lat)})")
        print(f"  ratio throughput / baseline = {rps / base_rps:.2f}; "
              f"p99 {percentile(lat, 99) / percentile(base_lat, 99):.1f}× the baseline's")

        closings = [_selected(db, programme["id"], f"sel{i}", 20, 30)[1] for i in range(3)]
        print(f"close a 30-applicant selection   : {summary(closings)} (20 learners, 10 on reserve, 21 events)")

        cohort_id, _ = _selected(db, programme["id"], "wd", 20, 40)
        seated = [ln["_id"] for ln in db[LEARNERS].find({"cohort_id": cohort_id, "status": "enrolled"})]
        wd_rps, wd_lat = timed_concurrently(lambda lid: learners.withdraw_learner(db, STAFF, lid, "bench"), seated)
        taken = db[COHORTS].find_one({"_id": cohort_id})["taken"]
        enrolled = db[LEARNERS].count_documents({"cohort_id": cohort_id, "status": "enrolled"})
        print(f"concurrent withdrawals + promotion: {wd_rps:7.0f} /s ({summary(wd_lat)})")
        print(f"  seats 20: taken {taken}, enrolled {enrolled} (must both be 20)")
        db.client.drop_database(db.name)


if __name__ == "__main__":
    main()
