"""Domain rules of the registry: plain functions, no Flask, Mongo or RabbitMQ."""
from __future__ import annotations

import re
import unicodedata

from shared.dates import as_date
from shared.errors import Forbidden, Invalid, RuleBroken
from shared.roles import role_active_on

KINDS = ("MSP", "CPTS", "CDS", "ESP")
STATUSES = ("projet", "labellisee", "aci", "fermee")
# Lifecycle: a project is labelled, then signs the ACI (accord conventionnel interprofessionnel);
# any open structure may close.
TRANSITIONS = {
    "projet": {"labellisee", "fermee"},
    "labellisee": {"aci", "fermee"},
    "aci": {"fermee"},
    "fermee": set(),
}
# Which date field each status dates.
STATUS_DATE_FIELD = {"labellisee": "labellisee_on", "aci": "aci_on", "fermee": "closed_on"}

_LA_POSTE_SIREN = "356000000"


def check_transition(current: str, target: str) -> None:
    if target == current:
        raise RuleBroken(f"La structure est déjà au statut `{current}`.", field="status")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "aucun (une structure fermée le reste)"
        raise RuleBroken(f"Le statut `{current}` ne peut pas devenir `{target}` ; statuts possibles : {allowed}.",
                         field="status")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siret_ok(siret: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}", siret):
        return False
    if siret.startswith(_LA_POSTE_SIREN):  # La Poste's establishments use a digit-sum rule
        return sum(int(c) for c in siret) % 5 == 0
    return luhn_ok(siret)


def finess_ok(finess: str) -> bool:
    """FINESS numbers are 9 characters: department code (2A/2B in Corsica) then digits."""
    return bool(re.fullmatch(r"(?:[0-9]{2}|2A|2B)[0-9]{7}", finess))


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by one space: what text search matches on."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


MAX_PREFIX = 20


def search_prefixes(*texts: str | None) -> list[str]:
    """Every prefix of every word (up to 20 characters): what a word typed in a search box must equal."""
    return sorted({token[:n] for token in search_tokens(*texts) for n in range(1, min(len(token), MAX_PREFIX) + 1)})


def search_tokens(*texts: str | None) -> list[str]:
    return sorted({token for text in texts if text for token in normalize(text).split()})


# --- Structures: what else a federation keeps about them -------------------------------------------

PROFESSIONS = (
    "medecin_generaliste", "medecin_specialiste", "infirmier", "infirmier_pratique_avancee", "sage_femme",
    "masseur_kinesitherapeute", "pharmacien", "chirurgien_dentiste", "orthophoniste", "orthoptiste",
    "pedicure_podologue", "dieteticien", "psychologue", "ergotherapeute", "psychomotricien",
    "assistant_medical", "secretaire", "coordinateur", "autre",
)
# What a structure's coordinator may change on their own structure (contact data, never its status).
CONTACT_FIELDS = frozenset({"email", "phone", "website", "address"})


def check_coordinator_change(fields: set[str]) -> None:
    """A coordinator edits only their structure's contact data."""
    forbidden = sorted(set(fields) - CONTACT_FIELDS)
    if forbidden:
        raise Forbidden(f"Un coordinateur ne peut modifier que {', '.join(sorted(CONTACT_FIELDS))} de sa structure, "
                        f"pas {', '.join(forbidden)}.", field=forbidden[0])


def year_of(value) -> int | None:
    return value.year if value is not None else None


# --- People and roles --------------------------------------------------------------------------------

STRUCTURE_ROLES = ("coordinator", "leader", "co_gerant", "professional")
FEDERATION_ROLES = ("facilitator", "federation_staff")
ROLES = STRUCTURE_ROLES + FEDERATION_ROLES
EMPLOYMENT_STATUSES = ("health_professional", "employee", "micro_entrepreneur", "portage_salarial", "volunteer")
COORDINATION_MODES = ("solo", "pair")
# What a person may change on their own record.
SELF_EDITABLE = frozenset({"first_name", "last_name", "email", "phone", "may_email"})
ERASED_NAME = "Personne effacée"


def rpps_ok(rpps: str) -> bool:
    """RPPS numbers (Répertoire partagé des professionnels de santé) are 11 digits."""
    return bool(re.fullmatch(r"[0-9]{11}", rpps))


def check_role(role: str, structure_id: str | None) -> None:
    if role in STRUCTURE_ROLES and not structure_id:
        raise Invalid(f"Le rôle `{role}` s'exerce dans une structure : indiquez `structure_id`.", field="structure_id")
    if role in FEDERATION_ROLES and structure_id:
        raise Invalid(f"`{role}` est un rôle de fédération : pas de `structure_id`.", field="structure_id")


def role_open(role: dict, on) -> bool:
    """Held on `on` or due to start later (not ended by then): what a duplicate or an erasure looks at.
    (Whether it is held on a day is `shared.roles.role_active_on`: start inclusive, end exclusive.)"""
    return role_active_on(role, max(on, as_date(role["start_on"])))


def check_role_end(role: dict, end_on) -> None:
    if role.get("end_on") is not None:
        raise RuleBroken("Ce rôle a déjà pris fin.", field="end_on")
    if end_on < role["start_on"]:
        raise RuleBroken("Un rôle ne peut pas finir avant d'avoir commencé.", field="end_on")


def check_no_duplicate_role(roles: list[dict], role: str, structure_id: str | None, on, field: str = "role") -> None:
    for held in roles:
        if held["role"] == role and held.get("structure_id") == structure_id and role_open(held, on):
            raise RuleBroken("Cette personne a déjà ce rôle à cet endroit.", field=field)


def end_active_roles(roles: list[dict], on) -> tuple[list[dict], list[dict]]:
    """(all roles with the active ones ended `on`, the ones that were ended)."""
    ended, out = [], []
    for role in roles:
        if role_open(role, on):
            role = {**role, "end_on": max(on, role["start_on"])}
            ended.append(role)
        out.append(role)
    return out, ended


def anonymised(person: dict, on) -> dict:
    """What remains of a person after a GDPR erasure: no name, no contact, roles ended."""
    roles, _ = end_active_roles(person.get("roles", []), on)
    kept = {k: person[k] for k in ("_id", "federation", "version", "created_at", "demo") if k in person}
    return {**kept, "first_name": ERASED_NAME, "last_name": ERASED_NAME, "email": None, "phone": None,
            "rpps": None, "may_email": False, "profession": None, "employment_status": None,
            "weekly_coordination_hours": None, "coordination_mode": None, "facilitator_departments": [],
            "roles": [{k: r[k] for k in ("id", "structure_id", "role", "start_on", "end_on")} for r in roles],
            "erased": True, "erased_on": on}


# --- Key figures ------------------------------------------------------------------------------------

def share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def coordinator_profile(coordinators: list[dict]) -> dict:
    """Status mix, weekly hours (mean/min/max), solo vs pair: the figures the APMSL reviews publish."""
    count = len(coordinators)
    statuses: dict[str, int] = {}
    for person in coordinators:
        key = person.get("employment_status") or "unknown"
        statuses[key] = statuses.get(key, 0) + 1
    hours = [p["weekly_coordination_hours"] for p in coordinators if p.get("weekly_coordination_hours") is not None]
    modes = [p.get("coordination_mode") for p in coordinators if p.get("coordination_mode")]
    return {
        "count": count,
        "status_mix": [{"employment_status": k, "count": v, "share_pct": share(v, count)}
                       for k, v in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))],
        "weekly_hours": {"known": len(hours),
                         "mean": round(sum(hours) / len(hours), 1) if hours else None,
                         "min": min(hours) if hours else None, "max": max(hours) if hours else None},
        "solo_pct": share(modes.count("solo"), len(modes)),
        "pair_pct": share(modes.count("pair"), len(modes)),
        "mode_known": len(modes),
    }


def growth(per_year: dict[int, dict[str, int]]) -> list[dict]:
    """Per year: structures created, labelled, signing the ACI, and the running total created."""
    total, out = 0, []
    for year in sorted(per_year):
        row = per_year[year]
        total += row.get("created", 0)
        out.append({"year": year, "created": row.get("created", 0), "labellisee": row.get("labellisee", 0),
                    "aci": row.get("aci", 0), "total": total})
    return out


def target_progress(target: dict, open_msp: int, projects: int) -> dict:
    goal = target["target_count"]
    return {
        "region": target["region"], "region_name": target["region_name"], "federation": target["federation"],
        "target_count": goal, "target_date": target.get("target_date"),
        "baseline_count": target.get("baseline_count"), "baseline_date": target.get("baseline_date"),
        "open_msp": open_msp, "projects": projects, "progress_pct": share(open_msp, goal),
        "remaining": max(goal - open_msp, 0), "source": target.get("source_document"),
    }


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
