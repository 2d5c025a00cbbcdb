// A learner's half-days (YYYY-MM-DD:am|pm) in words.
export function halfDayText(halfDay: string): string {
  const [date, part] = halfDay.split(":");
  const [y, m, d] = date.split("-").map(Number);
  const day = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
  return `${day} ${part === "am" ? "matin" : part === "pm" ? "après-midi" : part ?? ""}`.trim();
}

export function attendanceSummary(a: { present: string[]; absent: string[]; not_recorded: string[] }): string {
  const parts = [`${a.present.length} demi-journée${a.present.length > 1 ? "s" : ""} de présence`];
  if (a.absent.length) parts.push(`${a.absent.length} d’absence`);
  if (a.not_recorded.length) parts.push(`${a.not_recorded.length} pas encore relevée${a.not_recorded.length > 1 ? "s" : ""}`);
  return parts.join(", ");
}
