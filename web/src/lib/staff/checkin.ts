// Check-in on a phone: find a registrant by typing a few letters of their name, accents and case ignored.
export interface Checkable {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  organization?: string | null;
  status: string;
}

export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, " ").trim();
}

export function fullName(r: { first_name?: string | null; last_name?: string | null }): string {
  return `${r.first_name ?? ""} ${r.last_name ?? ""}`.trim() || "Personne effacée";
}

/** Who can be checked in: registered, or already marked (to correct a mistake). */
export const CHECKABLE = new Set(["registered", "attended", "absent"]);

/** Registrants whose every typed word starts a word of their name (or organization), sorted by last name. */
export function searchRegistrants<T extends Checkable>(items: T[], query: string): T[] {
  const words = fold(query).split(" ").filter(Boolean);
  return items
    .filter((r) => CHECKABLE.has(r.status))
    .filter((r) => {
      const haystack = fold(`${r.first_name ?? ""} ${r.last_name ?? ""} ${r.organization ?? ""}`).split(" ");
      return words.every((w) => haystack.some((h) => h.startsWith(w)));
    })
    .sort((a, b) => fold(a.last_name ?? "").localeCompare(fold(b.last_name ?? "")) ||
      fold(a.first_name ?? "").localeCompare(fold(b.first_name ?? "")));
}

export function checkinCounts(items: Checkable[]): { expected: number; present: number } {
  const expected = items.filter((r) => CHECKABLE.has(r.status)).length;
  const present = items.filter((r) => r.status === "attended").length;
  return { expected, present };
}
