"""One typed error family for every service's use cases and rules (no Flask here: rules raise them
too). `shared.http.errors` turns each into problem+json with its status and title, in one place.

    raise Invalid("A role cannot end before it started.", field="end_on")     # 422
    raise RuleBroken("The event is full.", field="seats")                     # 409
    raise Forbidden("Only the federation's staff may do this.")               # 403
    raise NotFound("structure")                                               # 404 "structure not found"
    raise Gone("This person was erased.")                                     # 410
    raise PreconditionFailed()                                                # 412 (stale If-Match)
"""
from __future__ import annotations

from http import HTTPStatus


# The French names of what `NotFound(what)` and the "no such … in this federation" answers name
# (callers pass the kind as the code names it; an unlisted one is shown as given).
NOUNS = {
    "resource": "ressource", "structure": "structure", "member structure": "structure membre",
    "person": "personne", "role": "rôle", "local group": "groupe local", "territory": "territoire",
    "event": "événement", "registration": "inscription", "federation": "fédération", "guest": "invité",
    "programme": "programme", "cohort": "cohorte", "seminar": "séminaire", "application": "candidature",
    "learner": "apprenant", "certificate": "certificat", "delivery": "envoi", "webhook": "webhook",
    "template": "modèle", "series": "série",
}


def noun(what: str, capital: bool = False) -> str:
    """The French name of a kind of resource (`local group` → `groupe local`)."""
    text = NOUNS.get(what, what)
    return text[:1].upper() + text[1:] if capital else text


class DomainError(Exception):
    status = HTTPStatus.BAD_REQUEST

    def __init__(self, detail: str, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field

    @property
    def title(self) -> str:
        from shared.http.french import title

        return title(self.status, HTTPStatus(self.status).phrase)


class Invalid(DomainError):
    """The request names something wrong (a value, an unknown id): 422, `field` says which."""
    status = HTTPStatus.UNPROCESSABLE_ENTITY


class RuleBroken(DomainError):
    """The request is well-formed but a business rule refuses it now (full, closed, already done): 409."""
    status = HTTPStatus.CONFLICT


class Forbidden(DomainError):
    """The caller may not do this: 403."""
    status = HTTPStatus.FORBIDDEN


class NotFound(DomainError):
    """Nothing of that kind the caller may see has this id: 404 (also for another federation's)."""
    status = HTTPStatus.NOT_FOUND

    def __init__(self, what: str = "resource", detail: str | None = None):
        super().__init__(detail or f"{noun(what, capital=True)} introuvable.")


class Gone(DomainError):
    """It existed and was erased for good (personal data, GDPR): 410."""
    status = HTTPStatus.GONE


class PreconditionFailed(DomainError):
    """The resource changed since the caller read it (If-Match): 412."""
    status = HTTPStatus.PRECONDITION_FAILED

    def __init__(self, detail: str = "La ressource a été modifiée depuis que vous l'avez lue (If-Match ne "
                                      "correspond plus à son ETag) ; relisez-la.", field: str | None = None):
        super().__init__(detail, field)
