// What a person may do with their registration, and how it is said.
export interface RegistrationLike {
  id: string;
  event_id: string;
  status: string;
  waitlist_position?: number | null;
  event?: { starts_at: string; ends_at: string; status: string } | null;
}

const ACTIVE = ["registered", "waitlisted", "awaiting_approval"];

export function isActive(registration: RegistrationLike | null | undefined): boolean {
  return !!registration && ACTIVE.includes(registration.status);
}

/** The current registration of an event among the person's (a cancelled one may be followed by a new one). */
export function currentRegistration<T extends RegistrationLike>(mine: T[], eventId: string): T | null {
  const forEvent = mine.filter((r) => r.event_id === eventId);
  return forEvent.find((r) => ACTIVE.includes(r.status)) ?? forEvent[0] ?? null;
}

export function canCancel(registration: RegistrationLike | null, now: Date = new Date()): boolean {
  if (!isActive(registration)) return false;
  const starts = registration?.event?.starts_at;
  return !starts || new Date(starts) > now;
}

/** « Vous êtes 2ᵉ sur la liste d’attente ». */
export function waitlistText(position: number | null | undefined): string {
  if (!position) return "Vous êtes sur la liste d’attente.";
  return position === 1 ? "Vous êtes 1ʳᵉ sur la liste d’attente." : `Vous êtes ${position}ᵉ sur la liste d’attente.`;
}

/** Upcoming (not ended yet) and past, each in the order a person reads them. */
export function splitByTime<T extends RegistrationLike>(items: T[], now: Date = new Date()): { upcoming: T[]; past: T[] } {
  const withEvent = items.filter((r) => r.event);
  const ended = (r: T) => new Date(r.event!.ends_at) < now;
  const byStart = (a: T, b: T) => a.event!.starts_at.localeCompare(b.event!.starts_at);
  return {
    upcoming: withEvent.filter((r) => !ended(r)).sort(byStart),
    past: withEvent.filter(ended).sort(byStart).reverse(),
  };
}
