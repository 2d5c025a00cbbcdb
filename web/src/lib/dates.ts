// Dates and times as a French reader expects them, always in the event's own time zone.
const PARIS = "Europe/Paris";

export function formatDay(iso: string, timeZone = PARIS): string {
  return new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone })
    .format(new Date(iso));
}

export function formatTime(iso: string, timeZone = PARIS): string {
  return new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone })
    .format(new Date(iso));
}

/** « mardi 3 février 2026, de 14:00 à 16:30 », or two days when it spans several. */
export function formatRange(startIso: string, endIso: string, timeZone = PARIS): string {
  if (dayKey(startIso, timeZone) === dayKey(endIso, timeZone)) {
    return `${formatDay(startIso, timeZone)}, de ${formatTime(startIso, timeZone)} à ${formatTime(endIso, timeZone)}`;
  }
  return `du ${formatDay(startIso, timeZone)}, ${formatTime(startIso, timeZone)}, ` +
    `au ${formatDay(endIso, timeZone)}, ${formatTime(endIso, timeZone)}`;
}

/** A calendar date (YYYY-MM-DD, no time) in French. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** Today as YYYY-MM-DD in Paris (the agenda's "à venir" starts there). */
export function todayInParis(now: Date = new Date()): string {
  return dayKey(now.toISOString(), PARIS);
}
