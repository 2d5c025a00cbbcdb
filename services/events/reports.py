"""The events section of the activity report: `GET /v1/stats` (the same figures, the same query) as tables
with French labels, exported as XLSX and PDF (`shared.report_document`).

Each service exports its own section: services only talk through the bus, and the figures belong to the
service that owns the data; the console puts the sections side by side.
"""
from __future__ import annotations

from services.events.ical import KIND_LABELS
from shared.report_document import Rate, Report, Table

FACILITATION_TYPE_LABELS = {"awareness": "Sensibilisation", "advice": "Conseil", "complex": "Complexe",
                            "sensibilisation": "Sensibilisation", "conseil": "Conseil", "complexe": "Complexe"}
STATUS_LABELS = {"published": "annoncé", "held": "tenu", "cancelled": "annulé"}
FEDERATION_NAMES = {"apmsl": "APMSL", "femasaura": "FemasAURA&Co", "femage": "FEMAGE",
                    "avecsante-na": "AVECsanté Nouvelle-Aquitaine"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def scope_label(stats: dict) -> str:
    parts = [FEDERATION_NAMES.get(stats["federation"], stats["federation"]) if stats.get("federation")
             else "Toutes fédérations"]
    parts.append(f"année {stats['year']}" if stats.get("year") else "toutes années")
    if stats.get("department"):
        parts.append(f"département {stats['department']}")
    if stats.get("territory"):
        parts.append(f"territoire {stats['territory']}")
    return " — ".join(parts)


def report(stats: dict) -> Report:
    totals = stats["totals"]
    tables = [
        Table("Chiffres clés des événements", ["Indicateur", "Valeur"], [
            ["Événements (hors brouillons)", totals["events"]],
            ["Événements tenus", totals["held"]],
            ["Événements annulés", totals["cancelled"]],
            ["dont annulés faute de participants", totals["cancelled_lack_of_participants"]],
            ["Inscrits", totals["registered"]],
            ["Présents", totals["attended"]],
            ["Taux de présence (inscrits et présents connus)", Rate(totals["attendance_rate"])],
            ["Événements comptés dans le taux de présence", totals["attendance_rate_events"]],
            ["Vues en replay", totals["replay_views"]],
        ], note="Le taux de présence ne divise que des chiffres connus pour les mêmes événements."),
        Table("Événements par type", ["Type", "Événements"],
              [[kind_label(k), n] for k, n in stats["events_by_kind"].items()]),
        Table("Rencontres tenues par type et territoire", ["Territoire", "Type", "Tenues"],
              [[row["territory"], kind_label(k), n] for row in stats["by_territory"]
               for k, n in row["held_by_kind"].items()]),
        Table("Rencontres tenues par type et département", ["Département", "Type", "Tenues"],
              [[row["department"] or "non précisé", kind_label(k), n] for row in stats["by_department"]
               for k, n in row["held_by_kind"].items()]),
        Table("Participation par groupe local",
              ["Groupe local", "Rencontres tenues", "Rencontres annulées", "Présents", "Membres invités",
               "Taux de participation", "Motif si n/a"],
              [[g["name"] or g["local_group_id"], g["meetings_held"], g["meetings_cancelled"], g["attendees"],
                g["members_invited"], Rate(g["participation_rate"]), g["rate_unavailable_reason"] or ""]
               for g in stats["local_groups"]],
              note="Présents / (membres invités × rencontres dont la présence est connue)."),
        Table("Journées régionales : inscrits et présents",
              ["Journée", "Date", "Statut", "Inscrits", "Présents", "Taux de présence"],
              [[d["title"], d["date"], STATUS_LABELS.get(d["status"], d["status"]), d["registered"], d["attended"],
                Rate(d["attendance_rate"])] for d in stats["regional_days"]]),
        Table("Webinaires : participants et vues en replay",
              ["Webinaire", "Date", "Participants", "Vues en replay"],
              [[w["title"], w["date"], w["participants"], w["replay_views"]] for w in stats["webinars"]]
              + ([["Total", "", stats["webinar_totals"]["participants"], stats["webinar_totals"]["replay_views"]]]
                 if stats["webinars"] else [])),
        Table("Facilitations par type et territoire", ["Territoire", "Type", "Facilitations"],
              [[f["territory"] or "non précisé", FACILITATION_TYPE_LABELS.get(f["type"], f["type"]), f["count"]]
               for f in stats["facilitations_by_territory"]]),
        reported_facilitations(stats["reported"]),
        Table("Annulations", ["Événement", "Type", "Date", "Motif", "Faute de participants"],
              [[c["title"], kind_label(c["kind"]), c["starts_at"][:10], c["reason"] or "",
                "oui" if c["lack_of_participants"] else "non"] for c in stats["cancellations"]]),
    ]
    return Report("Rapport d'activité — événements et rencontres", scope_label(stats), tables)


def reported_facilitations(reported: list[dict]) -> Table:
    """The facilitations the federation reported (its activity report), by territory, department and type."""
    rows = []
    for row in reported:
        if row.get("section") != "facilitation_summaries":
            continue
        types = row.get("by_type") or {}
        detail = ", ".join(f"{FACILITATION_TYPE_LABELS.get(k, k).lower()} {v}" for k, v in types.items())
        rows.append([row.get("territory") or "", row.get("department") or "", row.get("target") or "",
                     row.get("facilitations"), row.get("teams"), detail])
    return Table("Facilitations déclarées par territoire et département",
                 ["Territoire", "Département", "Public", "Facilitations", "Équipes", "Par type"], rows,
                 note="Chiffres du rapport d'activité de la fédération (n/a : non donné par la source).")
