"""Previews (`GET /v1/preview/{template}`, `GET /v1/templates`): what each template looks like, rendered with
sample data, without real people."""
from __future__ import annotations

import datetime as dt

from services.notifications import ical, rules, templating
from services.notifications.preferences import unsubscribe_url
from shared import clock


def _item() -> dict:
    start = (clock.now() + dt.timedelta(days=21)).replace(hour=12, minute=30, second=0, microsecond=0)
    return {"_id": "exemple-evenement", "source": "events", "title": "Groupe local des coordinateurs du Nord-Loire",
            "kind": "local_group_meeting", "starts_at": start, "ends_at": start + dt.timedelta(hours=3, minutes=30),
            "timezone": "Europe/Paris", "location": "MSP de Clisson, 2 rue des Halles, 44190 Clisson",
            "video_url": None, "status": "published", "ical_sequence": 2,
            "previous_starts_at": start - dt.timedelta(days=7), "cancel_reason": "Nombre de participants insuffisant",
            "registration_deadline": start - dt.timedelta(days=3), "min_participants": 6}


DATA = {
    "registration_waitlisted": {"waitlist_position": 3},
    "minimum_not_reached": {"registered_count": 3, "minimum": 6},
    "application_decided": {"cohort_name": "PACTE MSP — promotion n°7 (Lyon)", "reason": "Dossier complet et motivé"},
    "certificate_issued": {"programme_name": "PACTE MSP", "cohort_name": "promotion n°7 (Lyon)", "code": "PACTE-7K2M-QX4D"},
    "absence_warning": {"cohort_name": "PACTE MSP — promotion n°8", "absences": 3, "threshold": 3},
    "cohort_cancelled": {"programme_name": "PACTE CPTS", "name": "PACTE CPTS — promotion n°2",
                         "reason": "Nombre de candidatures insuffisant"},
    "registration_rejected": {"reason": "Réservé aux coordinateurs du département"},
    "learner_enrolled": {"programme_name": "PACTE MSP", "cohort_name": "promotion n°7 (Lyon)", "from_reserve": False},
}
ICS = {"learner_enrolled": "PUBLISH", "invitation": "REQUEST", "registration_confirmed": "REQUEST", "registration_promoted": "REQUEST",
       "event_rescheduled": "REQUEST", "reminder": "REQUEST", "seminar_scheduled": "REQUEST",
       "seminar_rescheduled": "REQUEST", "event_cancelled": "CANCEL", "registration_cancelled": "CANCEL",
       "seminar_cancelled": "CANCEL"}


def sample_context(template: str) -> tuple[dict, dict | None, str | None]:
    if template not in templating.template_names():
        raise templating.UnknownTemplate(template)
    item = _item()
    if template.startswith("seminar_"):
        item.update(source="training", title="PACTE MSP — Dynamique d'équipe", location="Maison des associations, Lyon")
    context = {"item": item, "data": DATA.get(template, {}), "when": "dans 7 jours",
               "decision": "accepted", "decision_label": "retenue", "accepted": True, "reserve": False,
               "verify_url": "https://maillage.example/certificats/PACTE-7K2M-QX4D"}
    if template == "learner_enrolled":
        second = {**item, "_id": "exemple-seminaire-2", "title": "PACTE MSP — Projet de santé",
                  "starts_at": item["starts_at"] + dt.timedelta(days=42), "ends_at": item["ends_at"] + dt.timedelta(days=43)}
        item = {**item, "_id": "exemple-seminaire-1", "title": "PACTE MSP — Prise de poste"}
        context.update(item={}, seminars=[item, second])
        return context, [item, second], "PUBLISH"
    method = ICS.get(template)
    return context, (item if method else None), method


def preview(settings, template: str, federation: str | None) -> dict:
    """{template, subject, text, html, ics?} of `template` with sample data; UnknownTemplate if none."""
    context, item, method = sample_context(template)
    url = unsubscribe_url(settings, "exemple-personne", federation or "apmsl", rules.ALL)
    rendered = templating.render_message(template, context, person={"first_name": "Camille", "last_name": "Martin"},
                                         federation=federation, unsubscribe_url=url,
                                         unsubscribe_label=rules.CATEGORY_LABELS[rules.ALL],
                                         base_url=settings.public_base_url)
    out = {"template": template, **rendered}
    if item is not None:
        out["ics"] = ical.build_ics(item, method=method, organizer=settings.mail_from,
                                    attendee={"email": "camille.martin@example.org", "name": "Camille Martin"}
                                    ).decode()
    return out


def catalog() -> dict:
    """The message templates and the preference categories."""
    return {"templates": templating.template_names(),
            "categories": [{"category": c, "label": rules.CATEGORY_LABELS[c], "enabled": True,
                            "critical": c in rules.CRITICAL} for c in rules.CATEGORIES]}
