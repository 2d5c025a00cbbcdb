"""Domain rules of training: plain functions, no Flask, Mongo or RabbitMQ.

A cohort (a "promotion") of a programme runs: open for applications → selection (the committee of the
federation and the ARS scores and decides) → in progress (seminars) → completed, or cancelled.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from shared.errors import RuleBroken
from shared.roles import active_roles


# --- cohorts ------------------------------------------------------------------------------------------

COHORT_STATUSES = ("open", "selection", "in_progress", "completed", "cancelled")
COHORT_TRANSITIONS = {
    "open": {"selection", "cancelled"},
    "selection": {"in_progress", "cancelled"},
    "in_progress": {"completed", "cancelled"},
    "completed": set(),
    "cancelled": set(),
}


def check_cohort_dates(dates: dict) -> None:
    """`dates`: a cohort's starts_on, ends_on and applications_close_on (any may be missing)."""
    starts_on, ends_on, close_on = (dates.get(k) for k in ("starts_on", "ends_on", "applications_close_on"))
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleBroken("Une cohorte ne peut pas finir avant de commencer.", "ends_on")
    if close_on and starts_on and close_on > starts_on:
        raise RuleBroken("Les candidatures doivent fermer avant le début de la cohorte.", "applications_close_on")


def _check_transition(transitions: dict, what: str, field: str, current: str, target: str) -> None:
    if target not in transitions[current]:
        allowed = ", ".join(sorted(transitions[current])) or "aucun"
        raise RuleBroken(f"{what} au statut `{current}` ne peut pas passer à `{target}` ; statuts possibles : "
                         f"{allowed}.", field)


def check_cohort_transition(current: str, target: str) -> None:
    _check_transition(COHORT_TRANSITIONS, "Une cohorte", "status", current, target)


# --- applications --------------------------------------------------------------------------------------

APPLICATION_STATUSES = ("submitted", "shortlisted", "accepted", "rejected", "withdrawn")
DECISIONS = ("shortlisted", "accepted", "rejected")
APPLICATION_TRANSITIONS = {
    "submitted": {"shortlisted", "accepted", "rejected", "withdrawn"},
    "shortlisted": {"accepted", "rejected", "withdrawn"},
    "accepted": {"withdrawn"},
    "rejected": set(),
    "withdrawn": set(),
}
# Who sits on a selection committee: learners are selected jointly by the federation and the ARS.
COMMITTEE_BODIES = ("federation", "ars")
SCORE_MAX = 20


def check_application_transition(current: str, target: str) -> None:
    _check_transition(APPLICATION_TRANSITIONS, "Une candidature", "decision", current, target)


def check_committee(members: list[dict]) -> None:
    """A committee that decides must include both the federation and the ARS."""
    bodies = {m["body"] for m in members}
    missing = [b for b in COMMITTEE_BODIES if b not in bodies]
    if missing:
        raise RuleBroken("Le comité de sélection doit comprendre la fédération et l'ARS ; il manque : "
                         + ", ".join(missing), "members")


def mean_score(scores: list[dict]) -> float | None:
    """The application's score: the mean of the committee members' latest scores (one per member)."""
    latest: dict[str, float] = {}
    for s in scores:
        latest[s["member"]] = s["score"]
    if not latest:
        return None
    return round(sum(latest.values()) / len(latest), 2)


def rank(applications: list[dict]) -> list[dict]:
    """Accepted applications in rank order: best score first (unscored last), then earliest submitted."""
    def key(a):
        score = a.get("score")
        return (score is None, -(score or 0), a["submitted_at"], a["_id"])
    return sorted(applications, key=key)


@dataclass(frozen=True)
class Allocation:
    learners: list[dict]
    reserve: list[dict]


def allocate(accepted: list[dict], seats: int) -> Allocation:
    """The first `seats` accepted applications in rank order become learners, the rest the reserve list."""
    ordered = rank(accepted)
    return Allocation(ordered[:max(seats, 0)], ordered[max(seats, 0):])


# --- seminars & attendance -----------------------------------------------------------------------------

SEMINAR_STATUSES = ("scheduled", "rescheduled", "cancelled")
ATTENDANCE_STATUSES = ("present", "absent", "late", "excused")
HALVES = ("am", "pm")
DEFAULT_ABSENCE_THRESHOLD = 4  # unexcused absent half-days before the learner and the federation are warned
MAX_SEMINAR_DAYS = 5
# A seminar's days run from 9:00 to 17:00, Paris time: its events carry the moments they begin and end.
SEMINAR_TIMEZONE = "Europe/Paris"
SEMINAR_DAY = (dt.time(9), dt.time(17))


def seminar_times(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When a seminar begins (its first day at 9:00) and ends (its last day at 17:00), in UTC."""
    zone = ZoneInfo(SEMINAR_TIMEZONE)
    return tuple(dt.datetime.combine(day, hour, zone).astimezone(dt.timezone.utc)
                 for day, hour in ((starts_on, SEMINAR_DAY[0]), (ends_on, SEMINAR_DAY[1])))


def check_seminar_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise RuleBroken("Un séminaire ne peut pas finir avant de commencer.", "ends_on")
    if (ends_on - starts_on).days >= MAX_SEMINAR_DAYS:
        raise RuleBroken(f"Un séminaire dure au plus {MAX_SEMINAR_DAYS} jours.", "ends_on")


def half_days(starts_on: dt.date, ends_on: dt.date) -> list[str]:
    """`2024-06-20:am`, `2024-06-20:pm`, … for every day of the seminar."""
    days = (ends_on - starts_on).days + 1
    return [f"{starts_on + dt.timedelta(days=i)}:{half}" for i in range(days) for half in HALVES]


def unexcused_absences(statuses: list[str]) -> int:
    return sum(1 for s in statuses if s == "absent")


def crossed_threshold(before: int, after: int, threshold: int) -> bool:
    """True once, when the count of unexcused absences reaches the threshold."""
    return before < threshold <= after


def attendance_rate(statuses: list[str]) -> float | None:
    """Share of recorded half-days attended (present or late); excused half-days are left out."""
    counted = [s for s in statuses if s != "excused"]
    if not counted:
        return None
    return round(sum(1 for s in counted if s in ("present", "late")) / len(counted), 4)


# --- learners, validation, certificates ----------------------------------------------------------------

LEARNER_STATUSES = ("enrolled", "withdrawn", "certified", "not_validated")
DEFENCE_OUTCOMES = ("pending", "passed", "failed")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
CODE_PATTERN = r"^[A-Z0-9]{2,12}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$"


def validation_gaps(learner: dict, required_deliverables: list[str]) -> list[str]:
    """What still prevents certifying a learner (empty when validated)."""
    gaps = []
    if learner["status"] != "enrolled":
        gaps.append(f"l'apprenant est au statut `{learner['status']}`")
    received = {d["name"] for d in learner.get("deliverables", [])}
    missing = [d for d in required_deliverables if d not in received]
    if missing:
        gaps.append("livrables non reçus : " + ", ".join(missing))
    defence = learner.get("defence") or {}
    if defence.get("outcome") != "passed":
        gaps.append("la soutenance n'est pas validée")
    return gaps


def certificate_code(programme_code: str, token: str | None = None) -> str:
    """`PACTEMSP-7K2M-Q9TX-4HRW`: a prefix telling the programme, then 60 random bits."""
    prefix = re.sub(r"[^A-Z0-9]", "", programme_code.upper())[:12] or "CERT"
    body = token or "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{prefix}-{body[0:4]}-{body[4:8]}-{body[8:12]}"


def completion_rate(certified: int, enrolled_total: int) -> float | None:
    return round(certified / enrolled_total, 4) if enrolled_total else None


def years_between(starts_on: dt.date | None, ends_on: dt.date | None, today: dt.date) -> list[int]:
    """The calendar years a cohort ran in (a 2023 promotion still running in 2024 trained in both)."""
    if starts_on is None:
        return []
    last = min(ends_on or today, today) if (ends_on or today) >= starts_on else starts_on
    return list(range(starts_on.year, max(last.year, starts_on.year) + 1))


# --- people (registry projection) ----------------------------------------------------------------------

def coordinates(person: dict, structure_id: str, today: dt.date) -> bool:
    """Whether the person coordinates the structure on `today` (the PACTE audience; `shared.roles`: a role
    ending on `today` is no longer held)."""
    return any(r["role"] == "coordinator" and r.get("structure_id") == structure_id
               for r in active_roles(person.get("roles"), today))


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def slug(text: str) -> str:
    return normalize(text).replace(" ", "-")
