// Go / no-go of an event with a minimum of participants: visible ahead of its deadline, so that staff can
// cancel « faute de participants » in time. Pure: the page passes the clock.
import { formatDay } from "../dates";

export interface MinimumEvent {
  status: string;
  min_participants?: number | null;
  minimum_deadline?: string | null;
  starts_at: string;
  seats?: { taken: number; awaiting?: number } | null;
}

export type GoNoGoState = "none" | "go" | "watch" | "no_go" | "closed";

export interface GoNoGo { state: GoNoGoState; missing: number; text: string }

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export function goNoGo(event: MinimumEvent, now: Date = new Date()): GoNoGo {
  const minimum = event.min_participants ?? null;
  const taken = event.seats?.taken ?? 0;
  if (event.status === "cancelled" || event.status === "held") {
    return { state: "closed", missing: 0, text: event.status === "held" ? "Événement tenu." : "Événement annulé." };
  }
  if (!minimum) return { state: "none", missing: 0, text: "Pas de minimum de participants." };
  const missing = Math.max(0, minimum - taken);
  const deadline = event.minimum_deadline ?? event.starts_at;
  const when = formatDay(deadline);
  if (missing === 0) {
    return { state: "go", missing, text: `Maintenu : ${plural(taken, "inscrit·e", "inscrit·es")} pour un minimum de ${minimum}.` };
  }
  if (new Date(deadline).getTime() <= now.getTime()) {
    return { state: "no_go", missing,
      text: `Minimum non atteint à l’échéance du ${when} : ${taken} / ${minimum}. Annuler faute de participants ?` };
  }
  return { state: "watch", missing,
    text: `${taken} / ${minimum} : il manque ${plural(missing, "participant·e", "participant·es")} d’ici le ${when}.` };
}

export const GO_NO_GO_LABELS: Record<GoNoGoState, string> = {
  none: "Sans minimum",
  go: "Go",
  watch: "À surveiller",
  no_go: "No-go",
  closed: "Clos",
};

export const LACK_OF_PARTICIPANTS_REASON = "Annulé faute de participants";
