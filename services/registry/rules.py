"""Domain rules of the registry: plain functions, no Flask, Mongo or RabbitMQ."""
from __future__ import annotations

import re
import unicodedata

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

DEPARTMENT_PATTERN = r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$"
_LA_POSTE_SIREN = "356000000"


class TransitionRefused(ValueError):
    pass


def check_transition(current: str, target: str) -> None:
    if target == current:
        raise TransitionRefused(f"the structure is already `{current}`")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (closed structures stay closed)"
        raise TransitionRefused(f"`{current}` cannot become `{target}`; allowed: {allowed}")


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


def search_tokens(*texts: str | None) -> list[str]:
    return sorted({token for text in texts if text for token in normalize(text).split()})
