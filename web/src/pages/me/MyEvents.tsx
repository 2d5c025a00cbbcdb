// My upcoming and past events: status, waiting-list rank, cancel, add to calendar.
import { useState } from "react";
import { Link } from "react-router-dom";
import { DownloadIcs } from "../../components/AddToCalendar";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatRange } from "../../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, REGISTRATION_STATUSES, label } from "../../lib/labels";
import { allMyRegistrations, cancelRegistration, type Registration } from "../../lib/myRegistrations";
import { canCancel, splitByTime, waitlistText } from "../../lib/registrations";

function Row({ registration, onChange }: { registration: Registration; onChange: (message: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const event = registration.event!;
  const cancel = async () => {
    setBusy(true); setError(null);
    try {
      await cancelRegistration(registration.event_id, registration.id);
      onChange(`Inscription à « ${event.title} » annulée.`);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <li className="card">
      <p className="kind">{label(EVENT_KINDS, event.kind)} · {label(EVENT_FORMATS, event.format)}</p>
      <h3><Link to={`/evenements/${encodeURIComponent(registration.event_id)}`}>{event.title}</Link></h3>
      <p className="when">{formatRange(event.starts_at, event.ends_at, event.timezone || undefined)}</p>
      <p className="status"><strong>{label(REGISTRATION_STATUSES, registration.status)}</strong>
        {registration.status === "waitlisted" && <> — {waitlistText(registration.waitlist_position)}</>}
        {event.status === "cancelled" && <> — événement annulé</>}</p>
      {error != null && <ErrorNotice error={error} />}
      <div className="actions">
        {canCancel(registration) && event.status !== "cancelled" && (
          <button type="button" className="danger" disabled={busy} onClick={cancel}
            aria-label={`Annuler mon inscription à ${event.title}`}>Annuler mon inscription</button>
        )}
        {registration.status !== "cancelled" && event.status !== "cancelled" && (
          <DownloadIcs event={{ id: registration.event_id, title: event.title, starts_at: event.starts_at, ends_at: event.ends_at }} />
        )}
      </div>
    </li>
  );
}

export function MyEvents() {
  const mine = useLoad(allMyRegistrations, []);
  const [message, setMessage] = useState<string | null>(null);
  const changed = (text: string) => { setMessage(text); mine.reload(); };
  return (
    <Page title="Mes événements">
      <SpaceNav />
      {message && <Notice tone="success">{message}</Notice>}
      {mine.state === "loading" && <Loading what="Chargement de vos inscriptions…" />}
      {mine.state === "error" && <ErrorNotice error={mine.error} onRetry={mine.reload} />}
      {mine.state === "ok" && (() => {
        const { upcoming, past } = splitByTime(mine.data);
        return (
          <>
            <section aria-labelledby="upcoming-title">
              <h2 id="upcoming-title">À venir</h2>
              {upcoming.length === 0
                ? <Empty>Aucune inscription à venir. <Link to="/agenda">Parcourir l’agenda</Link></Empty>
                : <ul className="cards">{upcoming.map((r) => <Row key={r.id} registration={r} onChange={changed} />)}</ul>}
            </section>
            <section aria-labelledby="past-title">
              <h2 id="past-title">Passés</h2>
              {past.length === 0 ? <Empty>Aucun événement passé.</Empty>
                : <ul className="cards">{past.map((r) => <Row key={r.id} registration={r} onChange={changed} />)}</ul>}
            </section>
          </>
        );
      })()}
    </Page>
  );
}
