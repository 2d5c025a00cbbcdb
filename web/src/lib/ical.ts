// "Ajouter à mon agenda": the public iCal feeds (subscribe) and one event as a .ics file (download).

export function federationFeedPath(federation: string): string {
  return `/events/v1/agenda/federations/${encodeURIComponent(federation)}.ics`;
}

export function localGroupFeedPath(groupId: string): string {
  return `/events/v1/agenda/local-groups/${encodeURIComponent(groupId)}.ics`;
}

/** webcal:// makes calendar programs offer to subscribe rather than download once. */
export function webcalUrl(absoluteHttpUrl: string): string {
  return absoluteHttpUrl.replace(/^https?:\/\//, "webcal://");
}

function stamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** RFC 5545 lines are at most 75 octets; longer ones continue on lines starting with a space. */
export function foldLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const n = new TextEncoder().encode(char).length;
    if (size + n > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export interface CalendarEvent {
  id: string;
  title: string;
  starts_at: string;
  ends_at: string;
  description?: string | null;
  location?: string | null;
  url?: string;
}

/** One VEVENT, same UID as the e-mails' .ics (`<event id>@maillage`) so that calendars merge them. */
export function eventIcs(event: CalendarEvent, now: Date = new Date()): string {
  const lines = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Maillage//Console web//FR", "CALSCALE:GREGORIAN",
    "BEGIN:VEVENT",
    `UID:${event.id}@maillage`,
    `DTSTAMP:${stamp(now.toISOString())}`,
    `DTSTART:${stamp(event.starts_at)}`,
    `DTEND:${stamp(event.ends_at)}`,
    `SUMMARY:${escapeText(event.title)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.url ? [`URL:${event.url}`] : []),
    "END:VEVENT", "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
