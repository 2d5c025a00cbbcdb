// French words for the APIs' codes (English field values, French for people).
export const EVENT_KINDS: Record<string, string> = {
  local_group_meeting: "Réunion de groupe local",
  regional_day: "Journée régionale",
  seminar: "Séminaire",
  webinar: "Webinaire",
  facilitation: "Facilitation",
  partner_meeting: "Réunion partenaires",
  training_day: "Journée de formation",
};

export const EVENT_FORMATS: Record<string, string> = {
  in_person: "En présentiel",
  video: "En visioconférence",
  hybrid: "Hybride (présentiel et visio)",
};

export const STRUCTURE_KINDS: Record<string, string> = {
  MSP: "Maison de santé pluriprofessionnelle (MSP)",
  CPTS: "Communauté professionnelle territoriale de santé (CPTS)",
  CDS: "Centre de santé (CDS)",
  ESP: "Équipe de soins primaires (ESP)",
};

export const STRUCTURE_STATUSES: Record<string, string> = {
  projet: "En projet",
  labellisee: "Labellisée",
  aci: "Signataire de l’ACI",
  fermee: "Fermée",
};

export const REGISTRATION_STATUSES: Record<string, string> = {
  registered: "Inscrit·e",
  waitlisted: "Sur liste d’attente",
  awaiting_approval: "En attente de validation",
  cancelled: "Inscription annulée",
  rejected: "Inscription refusée",
  attended: "Présent·e",
  absent: "Absent·e",
  declined: "Absence signalée",
};

export const APPLICATION_STATUSES: Record<string, string> = {
  submitted: "Candidature déposée",
  shortlisted: "Présélectionnée",
  accepted: "Acceptée",
  rejected: "Non retenue",
  withdrawn: "Retirée",
};

export const FEDERATIONS: Record<string, string> = {
  apmsl: "APMSL (Pays de la Loire)",
  femasaura: "FemasAURA&Co (Auvergne-Rhône-Alpes)",
  femage: "FEMAGE (Grand Est)",
  "avecsante-na": "AVECsanté (Nouvelle-Aquitaine)",
};

/** The label of a code, or the code itself when it is new to the console (never an empty cell). */
export function label(table: Record<string, string>, code: string | null | undefined): string {
  if (!code) return "";
  return table[code] ?? code;
}

export const DELIVERY_STATUSES: Record<string, string> = {
  queued: "En attente d’envoi",
  sending: "En cours d’envoi",
  sent: "Envoyé",
  retrying: "Nouvel essai prévu",
  failed: "Échec de l’envoi",
  suppressed: "Non envoyé (vos préférences)",
};
