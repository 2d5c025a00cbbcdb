import { Link } from "react-router-dom";
import type { components } from "../api/schema/events";
import { seatsText } from "../lib/agenda";
import { formatRange } from "../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, label } from "../lib/labels";

export type AgendaItem = components["schemas"]["AgendaItem"];

export function EventCard({ item }: { item: AgendaItem }) {
  const place = item.venue && typeof item.venue === "object" && "city" in item.venue ? item.venue.city : null;
  return (
    <li className="card event-card">
      <p className="kind">{label(EVENT_KINDS, item.kind)}{item.local_group_name ? ` · ${item.local_group_name}` : ""}</p>
      <h3><Link to={`/evenements/${encodeURIComponent(item.id)}`}>{item.title}</Link></h3>
      <p className="when">{formatRange(item.starts_at, item.ends_at, item.timezone || undefined)}</p>
      <p className="where">{label(EVENT_FORMATS, item.format)}{place ? ` · ${place}` : ""}
        {item.department ? ` (${item.department})` : ""}</p>
      {item.status === "held" ? <p className="seats">Événement passé</p>
        : <p className="seats">{seatsText(item.seats_available, item.capacity)}</p>}
    </li>
  );
}
