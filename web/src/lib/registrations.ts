// How a person's registration is said.
export interface RegistrationLike {
  status: string;
  waitlist_position?: number | null;
}

const ACTIVE = ["registered", "waitlisted", "awaiting_approval"];
const SEATED = ["registered", "attended", "absent"];

export function isActive(registration: RegistrationLike | null | undefined): boolean {
  return !!registration && ACTIVE.includes(registration.status);
}

/** Has a seat: sees the address and the video link. */
export function hasSeat(registration: RegistrationLike | null | undefined): boolean {
  return !!registration && SEATED.includes(registration.status);
}

/** « Vous êtes 2ᵉ sur la liste d’attente ». */
export function waitlistText(position: number | null | undefined): string {
  if (!position) return "Vous êtes sur la liste d’attente.";
  return position === 1 ? "Vous êtes 1ʳᵉ sur la liste d’attente." : `Vous êtes ${position}ᵉ sur la liste d’attente.`;
}

/** What the person reads about their place: status, rank on the waiting list, a decline. */
export function registrationText(registration: RegistrationLike | null, declinedAt?: string | null): string {
  if (registration && isActive(registration)) {
    if (registration.status === "waitlisted") return `Sur liste d’attente — ${waitlistText(registration.waitlist_position)}`;
    if (registration.status === "awaiting_approval") return "En attente de validation par les organisateurs";
    return "Inscrit·e";
  }
  if (declinedAt) return "Vous avez signalé que vous ne pourrez pas venir";
  if (registration?.status === "attended") return "Présent·e";
  if (registration?.status === "absent") return "Absent·e";
  if (registration?.status === "rejected") return "Inscription refusée";
  if (registration?.status === "cancelled") return "Inscription annulée";
  return "Pas inscrit·e";
}
