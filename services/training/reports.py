"""The training section of the activity report: `GET /v1/stats` as tables with French labels (XLSX, PDF
through `shared.report_document`): learners per programme and year, per cohort, withdrawals, certificates."""
from __future__ import annotations

from shared.report_document import Rate, Report, Table

STATUS_LABELS = {"open": "candidatures ouvertes", "selection": "sélection", "in_progress": "en cours",
                 "completed": "terminée", "cancelled": "annulée"}


def report(stats: dict, args: dict) -> Report:
    totals = stats["totals"]
    scope = " — ".join(p for p in (args.get("federation") or "", f"année {args['year']}" if args.get("year")
                                   else "toutes années") if p)
    return Report("Rapport d'activité — formation", scope, [
        Table("Chiffres clés de la formation", ["Indicateur", "Valeur"], [
            ["Promotions", totals["cohorts"]],
            ["Apprenants", totals["learners"]],
            ["Abandons d'apprenants", totals["withdrawn"]],
            ["Candidatures retirées", totals["applications_withdrawn"]],
            ["Attestations délivrées", totals["certified"]],
            ["Taux de validation (promotions terminées)", Rate(stats["completion_rate"])],
            ["Taux de présence aux séminaires", Rate(stats["attendance_rate"])],
        ]),
        Table("Formés par programme et par année", ["Programme", "Année", "Apprenants", "Certifiés"],
              [[r["programme_name"], r["year"], r["learners"], r["certified"]] for r in stats["trained"]]),
        Table("Apprenants par programme et par promotion",
              ["Programme", "Promotion", "Statut", "Places", "Candidatures", "Apprenants", "Abandons",
               "Certifiés", "Taux de présence"],
              [[c["programme"], c["cohort"], STATUS_LABELS.get(c["status"], c["status"]), c["seats"],
                c["applications"], c["learners"], c["withdrawn"], c["certified"], Rate(c["attendance_rate"])]
               for c in stats["cohorts"]]),
    ])
