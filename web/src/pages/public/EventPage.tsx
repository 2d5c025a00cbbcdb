// One event: date and time in French, theme, ordre du jour, speakers, seats; place or video link for
// registrants only (they come from the person's own registration, never from the public agenda).
import { Link, useParams, useSearchParams } from "react-router-dom";
import { data, events } from "../../api/client";
import { useSession } from "../../auth/session";
import { DownloadIcs } from "../../components/AddToCalendar";
import { Page } from "../../components/Layout";
import { RegistrationBox } from "../../components/RegistrationBox";
import { ErrorNotice, isNotFound, Loading } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { seatsText } from "../../lib/agenda";
import { formatRange } from "../../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, FEDERATIONS, label } from "../../lib/labels";
import { allMyRegistrations } from "../../lib/myRegistrations";
import { currentRegistration, isActive } from "../../lib/registrations";

type Venue = { name?: string | null; address?: string | null; postal_code?: string | null; city?: string | null };

function venueText(venue: Venue | null | undefined): string {
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
  const mine = useLoad(async () => (session.user ? currentRegistration(await allMyRegistrations(), eventId) : null),
    [eventId, session.user?.access_token]);
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
  const registration = mine.state === "ok" ? mine.data : null;
  const registered = isActive(registration) && registration?.status !== "waitlisted";
  const speakers = ((item as { speakers?: { name: string; organization?: string | null; topic?: string | null }[] })
    .speakers) ?? [];
  const publicVenue = item.venue as Venue | null;
  const myEvent = registration?.event as ({ venue?: Venue | null; video_link?: string | null } | undefined);

  return (
    <Page title={item.title}>
      <p className="kind">{label(EVENT_KINDS, item.kind)} · {label(FEDERATIONS, item.federation)}
        {item.local_group_name && <> · <Link to={`/groupes/${encodeURIComponent(item.local_group_id ?? "")}`}>{item.local_group_name}</Link></>}</p>
      {item.status === "cancelled" && <p className="notice warning">Cet événement est annulé.</p>}
      <dl className="facts">
        <dt>Date</dt><dd>{formatRange(item.starts_at, item.ends_at, item.timezone || undefined)}</dd>
        <dt>Format</dt><dd>{label(EVENT_FORMATS, item.format)}</dd>
        <dt>Lieu</dt>
        <dd>{registered && (myEvent?.venue || myEvent?.video_link) ? (
          <>
            {myEvent?.venue && <span>{venueText(myEvent.venue)}</span>}
            {myEvent?.video_link && <span> <a href={myEvent.video_link}>Rejoindre la visioconférence</a></span>}
          </>
        ) : (
          <span>{publicVenue?.city ? `${publicVenue.city} — ` : ""}
            l’adresse{item.format !== "in_person" ? " ou le lien de visioconférence" : ""} est communiqué aux inscrit·es.</span>
        )}</dd>
        {item.host_structure_name && <><dt>Structure d’accueil</dt><dd>{item.host_structure_name}</dd></>}
        <dt>Places</dt><dd className="seats">{seatsText(item.seats_available, item.capacity)}</dd>
        {item.registration_deadline && <><dt>Inscriptions jusqu’au</dt>
          <dd>{formatRange(item.registration_deadline, item.registration_deadline).split(",")[0]}</dd></>}
      </dl>
      {item.theme && <section><h2>Thème</h2><p>{item.theme}</p></section>}
      {item.agenda_items && item.agenda_items.length > 0 && (
        <section><h2>Ordre du jour</h2><ol>{item.agenda_items.map((line, i) => <li key={i}>{line}</li>)}</ol></section>
      )}
      {speakers.length > 0 && (
        <section><h2>Intervenant·es</h2><ul>{speakers.map((s, i) => (
          <li key={i}><strong>{s.name}</strong>{s.organization ? `, ${s.organization}` : ""}{s.topic ? ` — ${s.topic}` : ""}</li>
        ))}</ul></section>
      )}
      {item.status !== "cancelled" && item.status !== "held" && (
        mine.state === "loading" && session.user ? <Loading what="Chargement de votre inscription…" />
          : mine.state === "error" ? <ErrorNotice error={mine.error} onRetry={mine.reload} />
            : <RegistrationBox eventId={item.id} registration={registration} open={!!item.registration_open}
              full={item.capacity != null && (item.seats_available ?? 0) <= 0} action={action} onChange={reload} />
      )}
      <DownloadIcs event={{ id: item.id, title: item.title, starts_at: item.starts_at, ends_at: item.ends_at,
        description: item.theme, location: registered ? venueText(myEvent?.venue) || myEvent?.video_link : publicVenue?.city }} />
    </Page>
  );
}
