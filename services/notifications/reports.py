"""The notifications section of the activity report: `GET /v1/stats` as tables with French labels."""
from __future__ import annotations

from services.notifications.rules import CATEGORY_LABELS
from shared.report_document import Report, Table

REASON_LABELS = {"opted_out": "désinscription", "no_email": "pas d'adresse e-mail", "erased": "personne effacée",
                 "may_not_email": "refus des e-mails"}


def report(stats: dict) -> Report:
    emails, hooks, reminders = stats["emails"], stats["webhooks"], stats["reminders"]
    scope = " — ".join([stats["federation"] or "Toutes fédérations",
                        f"année {stats['year']}" if stats.get("year") else "toutes années"])
    return Report("Rapport d'activité — notifications", scope, [
        Table("Chiffres clés des notifications", ["Indicateur", "Valeur"], [
            ["E-mails", emails["total"]], ["E-mails envoyés", emails["sent"]],
            ["E-mails en échec", emails["failed"]], ["E-mails non envoyés (préférences, adresse)", emails["suppressed"]],
            ["E-mails en attente", emails["pending"]],
            ["Rappels envoyés", reminders["fired"]], ["Rappels programmés", reminders["pending"]],
            ["Rappels annulés", reminders["cancelled"]],
            ["Webhooks", hooks["total"]], ["Webhooks livrés", hooks["delivered"]], ["Webhooks en échec", hooks["failed"]],
        ]),
        Table("E-mails par catégorie", ["Catégorie", "E-mails"],
              [[CATEGORY_LABELS.get(k, k), n] for k, n in stats["emails_by_category"].items()]),
        Table("Messages non envoyés par motif", ["Motif", "Messages"],
              [[REASON_LABELS.get(k, k), n] for k, n in stats["suppressed_by_reason"].items()]),
    ])
