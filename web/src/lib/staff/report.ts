// The activity report: every figure of the services' /v1/stats, said in French. The page shows what the
// APIs give — nothing is computed here but formatting, so the page, the XLSX and the PDF say the same.
export type Row = Record<string, unknown>;

export const FIGURE_LABELS: Record<string, string> = {
  // registry
  total: "Total", by_kind: "Par type", by_status: "Par statut", count: "Nombre", kind: "Type", status: "Statut",
  department: "Département", creation_date_unknown: "Date de création inconnue", created: "Créées",
  created_this_year: "Créées dans l’année", growth: "Croissance", targets: "Objectifs", year: "Année",
  coordinators: "Coordinateurs·rices", employment_status: "Statut d’emploi", share_pct: "Part (%)",
  weekly_hours: "Heures hebdomadaires", known: "Renseignés", mean: "Moyenne", min: "Minimum", max: "Maximum",
  solo_pct: "Coordination seule (%)", pair_pct: "Coordination en binôme (%)", mode_known: "Mode renseigné",
  target: "Objectif", reached: "Atteint", structures: "Structures",
  // events
  events: "Événements", held: "Tenus", cancelled: "Annulés", cancelled_lack_of_participants: "Annulés faute de participants",
  registered: "Inscrits", attended: "Présents", replay_views: "Vues en replay", attendance_rate: "Taux de présence",
  attendance_rate_events: "Événements pris en compte (taux)", attendance_rate_registered: "Inscrits pris en compte",
  attendance_rate_attended: "Présents pris en compte", held_by_kind: "Tenus par type", territory: "Territoire",
  local_group_id: "Groupe local (id)", name: "Nom", meetings_held: "Rencontres tenues", meetings_cancelled: "Rencontres annulées",
  meetings_with_attendance: "Rencontres avec présence connue", attendees: "Présents", members_invited: "Membres invités",
  participation_rate: "Taux de participation", rate_unavailable_reason: "Raison (n/a)", event_id: "Événement (id)",
  title: "Titre", date: "Date", starts_at: "Date", participants: "Participants", reason: "Motif",
  lack_of_participants: "Faute de participants", type: "Type", webinars: "Webinaires",
  // training
  cohorts: "Cohortes", learners: "Apprenants", withdrawn: "Abandons", applications_withdrawn: "Candidatures retirées",
  certified: "Certifiés", completion_rate: "Taux de réussite", programme: "Programme", programme_id: "Programme (id)",
  cohort: "Cohorte", cohort_id: "Cohorte (id)", applications: "Candidatures", accepted: "Acceptées", seats: "Places",
  validated: "Validés", trained: "Formés",
  // notifications
  deliveries: "Envois", sent: "Envoyés", failed: "En échec", suppressed: "Non envoyés (préférences)", by_template: "Par modèle",
  by_category: "Par catégorie", by_channel: "Par canal", email: "E-mails", webhook: "Webhooks",
};

export const CODE_LABELS: Record<string, string> = {
  MSP: "MSP", CPTS: "CPTS", CDS: "CDS", ESP: "ESP",
  projet: "En projet", labellisee: "Labellisée", aci: "Signataire ACI", fermee: "Fermée",
  local_group_meeting: "Réunions de groupe local", regional_day: "Journées régionales", seminar: "Séminaires",
  webinar: "Webinaires", facilitation: "Facilitations", partner_meeting: "Réunions partenaires",
  training_day: "Journées de formation", health_professional: "Professionnel·le de santé", employee: "Salarié·e",
  micro_entrepreneur: "Micro-entrepreneur·e", portage_salarial: "Portage salarial", volunteer: "Bénévole",
  awareness: "Sensibilisation", advice: "Conseil", complex: "Accompagnement complexe",
};

export function figureLabel(key: string): string {
  return FIGURE_LABELS[key] ?? CODE_LABELS[key] ?? key.replace(/_/g, " ");
}

const isRate = (key: string) => key.endsWith("_rate") || key === "attendance_rate" || key === "completion_rate";
const isPct = (key: string) => key.endsWith("_pct");

const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 });

/** One value as the report prints it: rates as %, n/a for a rate the APIs could not compute. */
export function formatFigure(key: string, value: unknown): string {
  if (value === null || value === undefined) return isRate(key) ? "n/a" : "—";
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "number") {
    if (isRate(key)) return percent.format(value);
    if (isPct(key)) return `${number.format(value)} %`;
    return number.format(value);
  }
  if (typeof value === "string") {
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      const [y, m, d] = value.slice(0, 10).split("-").map(Number);
      return new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
        .format(new Date(Date.UTC(y, m - 1, d)));
    }
    return CODE_LABELS[value] ?? value;
  }
  if (Array.isArray(value)) return value.map((v) => formatFigure(key, v)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Row).map(([k, v]) => `${figureLabel(k)} : ${formatFigure(k, v)}`).join(" · ");
  }
  return String(value);
}

export function isCountMap(value: unknown): value is Record<string, number> {
  return !!value && typeof value === "object" && !Array.isArray(value) &&
    Object.values(value as Row).length > 0 && Object.values(value as Row).every((v) => typeof v === "number");
}

export function isTable(value: unknown): value is Row[] {
  return Array.isArray(value) && value.every((v) => v && typeof v === "object" && !Array.isArray(v));
}

/** The columns of a table: every key any row has, in first-seen order. */
export function columns(rows: Row[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.includes(key)) seen.push(key);
  return seen;
}

export interface Bar { label: string; value: number }

export function bars(map: Record<string, number>): Bar[] {
  return Object.entries(map).map(([k, v]) => ({ label: CODE_LABELS[k] ?? figureLabel(k), value: v }));
}

/** A local group's participation as the report says it: the rate, or « n/a (reason) ». */
export function participation(row: Row): string {
  if (typeof row.participation_rate === "number") return percent.format(row.participation_rate);
  return `n/a${row.rate_unavailable_reason ? ` (${row.rate_unavailable_reason})` : ""}`;
}

/** Years a report can be asked for: from 2019 (the seeds' first) to this one. */
export function reportYears(now: Date = new Date()): number[] {
  const years: number[] = [];
  for (let y = now.getFullYear(); y >= 2019; y--) years.push(y);
  return years;
}
