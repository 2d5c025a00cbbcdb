"""The registry section of the activity report: `GET /v1/stats` as tables with French labels (XLSX, PDF
through `shared.report_document`), and the structures / people exports as XLSX with French headers."""
from __future__ import annotations

from shared.report_document import Report, Table

STATUS_LABELS = {"projet": "En projet", "labellisee": "Labellisée", "aci": "Sous ACI", "fermee": "Fermée"}
EMPLOYMENT_LABELS = {"health_professional": "Professionnel de santé", "employee": "Salarié",
                     "micro_entrepreneur": "Micro-entrepreneur", "portage_salarial": "Portage salarial",
                     "volunteer": "Bénévole", "unknown": "Non renseigné"}


def report(stats: dict) -> Report:
    structures, coordinators = stats["structures"], stats["coordinators"]
    hours = coordinators["weekly_hours"]
    scope = " — ".join([stats["federation"] or "Toutes fédérations",
                        f"année {stats['year']}" if stats.get("year") else "toutes années",
                        f"état au {stats['as_of'].strftime('%d/%m/%Y')}"])
    return Report("Rapport d'activité — structures et coordinateurs", scope, [
        Table("Chiffres clés du réseau", ["Indicateur", "Valeur"], [
            ["Structures suivies", structures["total"]],
            *[[f"dont {kind}", n] for kind, n in sorted(structures["by_kind"].items())],
            *[[f"{STATUS_LABELS.get(status, status)}", n] for status, n in sorted(structures["by_status"].items())],
            ["Structures sans date de création connue", structures["creation_date_unknown"]],
            ["Coordinateurs en poste", coordinators["count"]],
        ]),
        Table("Structures par type, statut et département", ["Département", "Type", "Statut", "Structures"],
              [[r["department"], r["kind"], STATUS_LABELS.get(r["status"], r["status"]), r["count"]]
               for r in sorted(structures["by_kind_status_department"],
                               key=lambda r: (r["department"], r["kind"], r["status"]))]),
        Table("Profil des coordinateurs : statut", ["Statut", "Coordinateurs", "Part (%)"],
              [[EMPLOYMENT_LABELS.get(r["employment_status"], r["employment_status"]), r["count"], r["share_pct"]]
               for r in coordinators["status_mix"]]),
        Table("Profil des coordinateurs : temps et organisation", ["Indicateur", "Valeur"], [
            ["Temps de coordination connu (coordinateurs)", hours["known"]],
            ["Heures par semaine, moyenne", hours["mean"]],
            ["Heures par semaine, minimum", hours["min"]],
            ["Heures par semaine, maximum", hours["max"]],
            ["Seuls sur la fonction (%)", coordinators["solo_pct"]],
            ["En binôme (%)", coordinators["pair_pct"]],
        ]),
        Table("Créations, labellisations et ACI par année",
              ["Année", "Créées", "Labellisées", "Sous ACI", "Total créées (cumul)"],
              [[g["year"], g["created"], g["labellisee"], g["aci"], g["total"]] for g in stats["growth"]],
              note="Une structure compte l'année de sa date de création, jamais celle de sa saisie."),
        Table("Plan 4000 MSP : progression régionale",
              ["Région", "Objectif", "MSP ouvertes", "En projet", "Progression (%)", "Restant"],
              [[t["region_name"], t["target_count"], t["open_msp"], t["projects"], t["progress_pct"], t["remaining"]]
               for t in stats["targets"]]),
    ])


STRUCTURE_HEADERS = {
    "id": "Identifiant", "federation": "Fédération", "kind": "Type", "name": "Nom", "status": "Statut",
    "address": "Adresse", "postal_code": "Code postal", "city": "Commune", "department": "Département",
    "region": "Région", "finess": "FINESS", "siret": "SIRET", "email": "E-mail", "phone": "Téléphone",
    "website": "Site web", "multi_site": "Multisite", "created_on": "Créée le", "labellisee_on": "Labellisée le",
    "aci_on": "ACI le", "closed_on": "Fermée le", "local_group_id": "Groupe local",
    "membership_years": "Années d'adhésion", "professionals_total": "Professionnels", "archived": "Archivée"}
PEOPLE_HEADERS = {
    "id": "Identifiant", "federation": "Fédération", "last_name": "Nom", "first_name": "Prénom", "email": "E-mail",
    "phone": "Téléphone", "may_email": "Accepte les e-mails", "profession": "Profession", "roles": "Rôles actifs",
    "employment_status": "Statut", "weekly_coordination_hours": "Heures de coordination / semaine",
    "coordination_mode": "Organisation", "facilitator_departments": "Départements (facilitateur)",
    "demo": "Démonstration"}


def rows_report(title: str, headers: dict[str, str], columns: list[str], rows) -> Report:
    def value(row, column):
        v = row.get(column)
        if column == "status":
            return STATUS_LABELS.get(v, v)
        if column == "employment_status" and v:
            return EMPLOYMENT_LABELS.get(v, v)
        return "" if v is None else v
    table = Table(title, [headers[c] for c in columns], [[value(r, c) for c in columns] for r in rows])
    return Report(title, None, [table])
