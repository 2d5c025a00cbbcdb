"""Preferences: the categories a person switched off (never the critical ones), set by the person, their
federation's staff, or the signed, dated unsubscribe link of an e-mail (public: GET describes, POST applies)."""
from __future__ import annotations

from pymongo import ReturnDocument

from services.notifications import rules
from services.notifications.store import PEOPLE, PREFERENCES
from shared import clock
from shared.errors import Forbidden, Invalid, NotFound
from shared.http.auth import Principal


def opted_out(db, session, key: str) -> set[str]:
    doc = db[PREFERENCES].find_one({"_id": key}, session=session)
    return set(doc.get("opted_out") or []) if doc else set()


def unsubscribe_url(settings, recipient_key: str, federation: str, category: str) -> str:
    token = rules.sign_unsubscribe(settings.link_signing_secret, recipient_key, federation, category)
    return f"{settings.public_base_url.rstrip('/')}/notifications/v1/unsubscribe?token={token}"


# --- a person's preferences ------------------------------------------------------------------------

def _person_federation(db, person_id: str) -> str | None:
    person = db[PEOPLE].find_one({"_id": person_id}, {"federation": 1})
    return person.get("federation") if person else None


def _may_see(principal: Principal, person_id: str, federation: str | None) -> bool:
    """The person themself, as their own federation knows them (another federation's token with the same
    `sub` is not), their federation's staff, or a national reader."""
    if principal.sub == person_id:
        return federation is None or principal.federation == federation
    return federation is not None and (principal.manages(federation) or principal.is_national)


def _present(person_id, federation, pref) -> dict:
    opted = list((pref or {}).get("opted_out") or [])
    return {"person_id": person_id, "federation": federation, "opted_out": opted,
            "categories": [{"category": c, "enabled": c in rules.CRITICAL or (c not in opted and rules.ALL not in opted),
                            "critical": c in rules.CRITICAL, "label": rules.CATEGORY_LABELS[c]}
                           for c in rules.CATEGORIES],
            "updated_at": (pref or {}).get("updated_at")}


def get_preferences(db, principal: Principal, person_id: str) -> dict:
    pref = db[PREFERENCES].find_one({"_id": person_id})
    federation = (pref or {}).get("federation") or _person_federation(db, person_id)
    if not _may_see(principal, person_id, federation):
        raise NotFound("person")
    return _present(person_id, federation, pref)


def set_preferences(db, principal: Principal, person_id: str, categories: list[str]) -> dict:
    federation = _person_federation(db, person_id) or (db[PREFERENCES].find_one({"_id": person_id}) or {}).get(
        "federation")
    if not _may_see(principal, person_id, federation):
        raise NotFound("person")
    # Within the person's federation only: a national token (even with `sub` = the person) reads, never writes.
    if not principal.can_write(federation) and not (federation is None and principal.sub == person_id):
        raise Forbidden("Les préférences des membres d'une autre fédération sont en lecture seule pour vous.")
    categories = rules.check_opt_out(categories)
    pref = db[PREFERENCES].find_one_and_update(
        {"_id": person_id}, {"$set": {"opted_out": categories, "federation": federation, "updated_at": clock.now(),
                                      "updated_by": principal.sub}},
        upsert=True, return_document=ReturnDocument.AFTER)
    return _present(person_id, federation, pref)


# --- the unsubscribe link ----------------------------------------------------------------------------

def _claims(settings, token: str) -> dict:
    try:
        return rules.verify_unsubscribe(settings.link_signing_secret, token)
    except rules.ExpiredToken:
        days = rules.UNSUBSCRIBE_LINK_MAX_AGE.days
        raise Invalid(f"Ce lien de désinscription a expiré (un lien vaut {days} jours) : utilisez celui d'un e-mail "
                      "plus récent, ou modifiez vos préférences une fois connecté.", field="token") from None
    except rules.BadToken:
        raise Invalid("Ce lien de désinscription n'est pas valide.", field="token") from None


def describe_token(settings, token: str) -> dict:
    category = _claims(settings, token)["category"]
    return {"category": category, "label": rules.CATEGORY_LABELS.get(category, category)}


def unsubscribe(db, settings, token: str) -> dict:
    claims = _claims(settings, token)
    category = claims["category"]
    if category in rules.CRITICAL:
        raise Invalid("Les annulations et changements de date ne peuvent pas être désactivés.", field="token")
    person = db[PEOPLE].find_one({"_id": claims["person_id"]}, {"deleted": 1})
    if not (person and person.get("deleted")):
        db[PREFERENCES].update_one(
            {"_id": claims["person_id"]},
            {"$addToSet": {"opted_out": category},
             "$set": {"federation": claims["federation"], "updated_at": clock.now(), "updated_by": "unsubscribe-link"}},
            upsert=True)
    return {"category": category, "unsubscribed": True, "label": rules.CATEGORY_LABELS.get(category, category)}
