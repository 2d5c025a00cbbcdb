// One event: date and time in French, theme, ordre du jour, speakers, seats; the address and the video
// link for registrants with a seat only (GET /events/v1/me/events gives them; the public page, the town).
import { Link, useParams, useSearchParams } from "react-router-dom";
import { data, events } from "../../api/client";
import { useSession } from "../../auth/session";
import { EventIcsLink } from "../../components/AddToCalendar";
import { Page } from "../../components/Layout";
import { RegistrationBox } from "../../components/RegistrationBox";
import { ErrorNotice, isNotFound, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { seatsText } from "../../lib/agenda";
import { formatDay, formatRange } from "../../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, FEDERATIONS, label } from "../../lib/labels";
import { myEvent, registrationOf } from "../../lib/myEvents";
import { hasSeat } from "../../lib/registrations";

type Venue = { name?: string | null; address?: string | null; postal_code?: string | null; city?: string | null };

export function venueText(venue: Venue | null | undefined): string {
  if (!venue) return "";
  return [venue.name, venue.address, [venue.postal_code, venue.city].filter(Boolean).join(" ")].filter(Boolean).join(", ");
}

export function EventPage() {
  const { eventId = "" } = useParams();
  const [search] = useSearchParams();
  const action = search.get("action");
  const session = useSession();
  const event = useLoad(() => data(events.GET("/events/v1/agenda/{event_id}", { params: { path: { event_id: eventId } } })),
    [eventId]);
  const mine = useLoad(async () => (session.user ? myEvent(eventId) : null), [eventId, session.user?.access_token]);
  const reload = () => { event.reload(); mine.reload(); };

  if (event.state === "loading") return <Loading what="Chargement de l’événement…" />;
  if (event.state === "error") {
    return (
      <Page title={isNotFound(event.error) ? "Événement introuvable" : "Événement"}>
        {isNotFound(event.error)
          ? <p>Cet événement n’existe pas ou n’est pas publié. <Link to="/agenda">Retour à l’agenda</Link></p>
          : <ErrorNotice error={event.error} onRetry={event.reload} />}
      </Page>
    );
  }
  const item = event.data;
  const my = mine.state === "ok" ? mine.data : null;
  const seated = hasSeat(registrationOf(my));
  const myVenue = my?.event.venue as Venue | null | undefined;
  const publicVenue = item.venue as Venue | null | undefined;

  return (
    <Page title={item.title}>
      <p className="kind">{label(EVENT_KINDS, item.kind)} · {label(FEDERATIONS, item.federation)}
        {item.local_group_name && item.local_group_id && <> · <Link to={`/groupes/${encodeURIComponent(item.local_group_id)}`}>
          {item.local_group_name}</Link></>}</p>
      {item.status === "cancelled" && <p className="notice warning">Cet événement est annulé.</p>}
      <dl className="facts">
        <dt>Date</dt><dd>{formatRange(item.starts_at, item.ends_at, item.timezone || undefined)}</dd>
        <dt>Format</dt><dd>{label(EVENT_FORMATS, item.format)}</dd>
        <dt>Lieu</dt>
        <dd>{seated && (myVenue?.address || my?.event.video_link) ? (
          <>
            {myVenue && <span>{venueText(myVenue)}</span>}
            {my?.event.video_link && <span> <a href={my.event.video_link}>Rejoindre la visioconférence</a></span>}
          </>
        ) : (
          <span>{publicVenue?.city ? `${publicVenue.city} — ` : ""}
            {item.format === "video" ? "le lien de visioconférence est envoyé aux inscrit·es."
              : item.format === "hybrid" ? "l’adresse et le lien de visioconférence sont communiqués aux inscrit·es."
                : "l’adresse est communiquée aux inscrit·es."}</span>
        )}</dd>
        {item.host_structure_name && <><dt>Structure d’accueil</dt><dd>{item.host_structure_name}</dd></>}
        <dt>Places</dt><dd className="seats">{seatsText(item.seats_available, item.capacity)}</dd>
        {item.registration_deadline && <><dt>Inscriptions jusqu’au</dt><dd>{formatDay(item.registration_deadline)}</dd></>}
      </dl>
      {item.theme && <section><h2>Thème</h2><p>{item.theme}</p></section>}
      {item.agenda_items && item.agenda_items.length > 0 && (
        <section><h2>Ordre du jour</h2><ol>{item.agenda_items.map((line, i) => <li key={i}>{line}</li>)}</ol></section>
      )}
      {item.speakers.length > 0 && (
        <section><h2>Intervenant·es</h2><ul>{item.speakers.map((s, i) => (
          <li key={i}><strong>{s.name}</strong>{s.organization ? `, ${s.organization}` : ""}{s.topic ? ` — ${s.topic}` : ""}</li>
        ))}</ul></section>
      )}
      {item.status !== "cancelled" && item.status !== "held" && (
        mine.state === "loading" && session.user ? <Loading what="Chargement de votre inscription…" />
          : mine.state === "error" ? <ErrorNotice error={mine.error} onRetry={mine.reload} />
            : <RegistrationBox eventId={item.id} mine={my} open={item.registration_open}
              full={item.capacity != null && (item.seats_available ?? 0) <= 0} action={action} onChange={reload} />
      )}
      <div className="actions">
        <EventIcsLink url={item.ical_url} />
      </div>
    </Page>
  );
}
