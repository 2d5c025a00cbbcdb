"""`/v1/me`: who the caller is (their registry person, in this service's own copy of the registry:
shared/me.py) and what they may do here."""
from shared.me import me_blueprint

me = me_blueprint(lambda principal, person_known: {
    "apply_to_cohorts": principal.has_any("coordinator", "member") and person_known,
    "train_cohorts": principal.has_any("trainer"),
    "run_cohorts_and_selection": principal.is_staff})
