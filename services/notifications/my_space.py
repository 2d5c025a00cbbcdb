"""A person's own space (the web console): the e-mails sent to them, their preferences (critical categories
flagged: they cannot be switched off), and the export of what notifications keeps of them.

The caller is the token's person (`sub` = registry person id) in their own federation.
"""
from __future__ import annotations

from services.notifications import preferences
from services.notifications.store import DELIVERIES, PREFERENCES, REMINDERS
from shared import clock
from shared.dates import iso_dates
from shared.http.auth import Principal
from shared.me import own_person_id
from shared.http.pagination import paginate

# What a person reads of their own e-mails: everything but the bodies and attachments.
OWN_PROJECTION = {"message.text": 0, "message.html": 0, "ics": 0, "payload": 0, "context": 0}
OWN_FILTERS = ("event_id", "subject_id", "category", "status")


def _mine(principal: Principal) -> dict:
    return {"person_id": own_person_id(principal), "federation": principal.federation}


def my_deliveries(db, principal: Principal, args: dict) -> dict:
    query = {**_mine(principal), "channel": "email", **{k: args[k] for k in OWN_FILTERS if args.get(k)}}
    return paginate(db[DELIVERIES], query, args, [("created_at", -1), ("_id", 1)], OWN_PROJECTION)


def my_preferences(db, principal: Principal) -> dict:
    return preferences.get_preferences(db, principal, _mine(principal)["person_id"])


def set_my_preferences(db, principal: Principal, opted_out: list[str]) -> dict:
    return preferences.set_preferences(db, principal, _mine(principal)["person_id"], opted_out)



def my_export(db, principal: Principal) -> dict:
    """Everything notifications keeps of the caller (GDPR, right of access): preferences, the e-mails sent to
    them (subject, dates, status: not the bodies, which their mailbox holds) and the reminders scheduled."""
    mine = _mine(principal)
    deliveries = db[DELIVERIES].find({**mine, "channel": "email"}, {**OWN_PROJECTION, "attempts": 0}).sort(
        "created_at", 1)
    return iso_dates({
        "service": "notifications", "person_id": mine["person_id"], "exported_at": clock.now(),
        "preferences": preferences.get_preferences(db, principal, mine["person_id"]),
        "deliveries": [{**{k: v for k, v in d.items() if k not in ("_id", "message")}, "id": d["_id"],
                        "subject": (d.get("message") or {}).get("subject")} for d in deliveries],
        "reminders": [{k: v for k, v in r.items() if k != "_id"}
                      for r in db[REMINDERS].find({"person_id": mine["person_id"]})],
        "stored_preferences": [{k: v for k, v in p.items() if k != "_id"}
                               for p in db[PREFERENCES].find({"_id": mine["person_id"]})],
    })
