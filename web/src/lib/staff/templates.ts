// One template per kind of event: what staff would otherwise retype for every meeting (duration, format,
// seats, minimum, approval, ordre du jour, audience). `eventFromTemplate` gives the EventCreate body.
import type { components } from "../../api/schema/events";

export type EventCreate = components["schemas"]["EventCreate"];
export type EventKind = EventCreate["kind"];

export interface EventTemplate {
  kind: EventKind;
  title: string;
  format: "in_person" | "video" | "hybrid";
  start: string; // HH:MM, Europe/Paris
  hours: number;
  capacity: number | null;
  min_participants: number | null;
  /** Days before the start when the minimum must be reached. */
  minimum_days_before: number | null;
  requires_approval: boolean;
  agenda_items: string[];
  roles: NonNullable<components["schemas"]["Audience"]["roles"]>;
  needsLocalGroup: boolean;
}

export const EVENT_TEMPLATES: Record<Exclude<EventKind, "training_day">, EventTemplate> = {
  local_group_meeting: {
    kind: "local_group_meeting", title: "Rencontre du groupe local", format: "in_person", start: "14:00", hours: 2.5,
    capacity: 25, min_participants: 4, minimum_days_before: 7, requires_approval: false,
    agenda_items: ["Tour de table des structures", "Actualités de la fédération", "Thème du jour", "Questions diverses"],
    roles: ["coordinator", "leader"], needsLocalGroup: true,
  },
  regional_day: {
    kind: "regional_day", title: "Journée régionale", format: "in_person", start: "09:30", hours: 7,
    capacity: 150, min_participants: 30, minimum_days_before: 21, requires_approval: false,
    agenda_items: ["Accueil", "Plénière", "Ateliers", "Déjeuner", "Restitution des ateliers", "Clôture"],
    roles: [], needsLocalGroup: false,
  },
  seminar: {
    kind: "seminar", title: "Séminaire", format: "in_person", start: "09:00", hours: 7,
    capacity: 30, min_participants: 8, minimum_days_before: 14, requires_approval: true,
    agenda_items: ["Accueil", "Matinée de travail", "Après-midi de travail", "Évaluation"],
    roles: ["coordinator"], needsLocalGroup: false,
  },
  webinar: {
    kind: "webinar", title: "Webinaire", format: "video", start: "12:30", hours: 1,
    capacity: 300, min_participants: null, minimum_days_before: null, requires_approval: false,
    agenda_items: ["Présentation", "Questions / réponses"],
    roles: [], needsLocalGroup: false,
  },
  facilitation: {
    kind: "facilitation", title: "Facilitation", format: "in_person", start: "13:30", hours: 3,
    capacity: 20, min_participants: null, minimum_days_before: null, requires_approval: true,
    agenda_items: ["Point de situation de l’équipe", "Travail sur le projet de santé", "Suites à donner"],
    roles: [], needsLocalGroup: false,
  },
  partner_meeting: {
    kind: "partner_meeting", title: "Réunion partenaires", format: "hybrid", start: "10:00", hours: 2,
    capacity: 40, min_participants: null, minimum_days_before: null, requires_approval: true,
    agenda_items: ["Présentation des partenaires", "Points d’actualité", "Prochaines étapes"],
    roles: [], needsLocalGroup: false,
  },
};

export interface TemplateInput {
  date: string; // YYYY-MM-DD (Paris)
  start?: string; // HH:MM
  title?: string;
  localGroupId?: string | null;
  department?: string | null;
  venue?: components["schemas"]["Venue"] | null;
  videoLink?: string | null;
  theme?: string | null;
}

/** Adds minutes to a wall-clock "YYYY-MM-DDTHH:MM" (no time zone: the server reads it in Europe/Paris). */
export function addMinutes(wallClock: string, minutes: number): string {
  const [date, time] = wallClock.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm) + minutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

export function eventFromTemplate(template: EventTemplate, input: TemplateInput): EventCreate {
  const starts = `${input.date}T${input.start || template.start}`;
  const ends = addMinutes(starts, Math.round(template.hours * 60));
  const body: EventCreate = {
    kind: template.kind,
    title: (input.title || template.title).trim(),
    format: template.format,
    starts_at: `${starts}:00`,
    ends_at: `${ends}:00`,
    timezone: "Europe/Paris",
    capacity: template.capacity,
    min_participants: template.min_participants,
    requires_approval: template.requires_approval,
    agenda_items: [...template.agenda_items],
  };
  if (template.minimum_days_before != null && template.min_participants != null) {
    body.minimum_deadline = `${addMinutes(starts, -template.minimum_days_before * 24 * 60)}:00`;
  }
  const audience: components["schemas"]["Audience"] = {};
  if (input.localGroupId) {
    body.local_group_id = input.localGroupId;
    audience.local_group_ids = [input.localGroupId];
  }
  if (template.roles.length) audience.roles = [...template.roles];
  if (Object.keys(audience).length) body.audience = audience;
  if (input.department) body.department = input.department;
  if (input.theme) body.theme = input.theme;
  if (template.format !== "video" && input.venue && Object.values(input.venue).some(Boolean)) body.venue = input.venue;
  if (template.format !== "in_person" && input.videoLink) body.video_link = input.videoLink;
  return body;
}
