"""Training collections and their indexes."""
from __future__ import annotations

from shared.mongo import Index

PROGRAMMES = "programmes"
COHORTS = "cohorts"
APPLICATIONS = "applications"
LEARNERS = "learners"
SEMINARS = "seminars"
ATTENDANCE = "attendance"
CERTIFICATES = "certificates"
# Registry projection (event-carried state): people and structures, never read from the registry itself.
PEOPLE = "people"
STRUCTURES = "structures"

INDEXES = [
    Index(PROGRAMMES, [("federation", 1), ("code", 1)], {"unique": True, "name": "programme_code_unique"}),
    Index(COHORTS, [("federation", 1), ("programme_id", 1), ("number", 1)],
          {"unique": True, "name": "cohort_number_unique"}),
    Index(COHORTS, [("federation", 1), ("status", 1), ("starts_on", -1)]),
    Index(COHORTS, [("status", 1), ("applications_close_on", 1)]),
    Index(COHORTS, [("trainers.person_id", 1)]),
    Index(SEMINARS, [("trainers.person_id", 1)]),
    # One application per person per cohort.
    Index(APPLICATIONS, [("cohort_id", 1), ("person_id", 1)], {"unique": True, "name": "one_application_per_person"}),
    Index(APPLICATIONS, [("federation", 1), ("cohort_id", 1), ("status", 1), ("submitted_at", 1)]),
    Index(APPLICATIONS, [("person_id", 1)]),
    Index(LEARNERS, [("cohort_id", 1), ("person_id", 1)], {"unique": True, "name": "one_learner_per_person"}),
    Index(LEARNERS, [("federation", 1), ("cohort_id", 1), ("status", 1)]),
    Index(LEARNERS, [("person_id", 1)]),
    Index(SEMINARS, [("federation", 1), ("cohort_id", 1), ("starts_on", 1)]),
    Index(ATTENDANCE, [("cohort_id", 1), ("learner_id", 1)]),
    Index(ATTENDANCE, [("seminar_id", 1)]),
    Index(CERTIFICATES, [("learner_id", 1)], {"unique": True, "name": "one_certificate_per_learner"}),
    Index(PEOPLE, [("federation", 1), ("last_name_sort", 1)]),
    Index(STRUCTURES, [("federation", 1), ("kind", 1)]),
]
