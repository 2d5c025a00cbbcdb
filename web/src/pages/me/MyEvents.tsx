// My upcoming and past events: my registration and waiting-list rank, cancel, add to calendar.
import { useState } from "react";
import { Link } from "react-router-dom";
import { EventIcsLink } from "../../components/AddToCalendar";
import { Page } from "../../components/Layout";
import { SpaceNav } from "../../components/SpaceNav";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { formatRange } from "../../lib/dates";
import { EVENT_FORMATS, EVENT_KINDS, label } from "../../lib/labels";
import { cancelRegistration, myEvents, registrationOf, type MyEventItem } from "../../lib/myEvents";
import { isActive, registrationText } from "../../lib/registrations";

function Row({ item, onChange }: { item: MyEventItem; onChange: (message: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { event } = item;
  const registration = registrationOf(item);
  const cancel = async () => {
    setBusy(true); setError(null);
    try {
      await cancelRegistration(event.id, registration!.id);
      onChange(`Inscription à « ${event.title} » annulée.`);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  return (
    <li className="card">
      <p className="kind">{label(EVENT_KINDS, event.kind)} · {label(EVENT_FORMATS, event.format)}</p>
      <h3><Link to={`/evenements/${encodeURIComponent(event.id)}`}>{event.title}</Link></h3>
      <p className="when">{formatRange(event.starts_at, event.ends_at, event.timezone || undefined)}</p>
      <p className="status"><strong>{registrationText(registration, item.declined_at)}</strong>
        {event.status === "cancelled" && <> — événement annulé</>}</p>
      {error != null && <ErrorNotice error={error} />}
      <div className="actions">
        {item.may_cancel && isActive(registration) && (
          <button type="button" className="danger" disabled={busy} onClick={cancel}
            aria-label={`Annuler mon inscription à ${event.title}`}>Annuler mon inscription</button>
        )}
        {isActive(registration) && event.status !== "cancelled" && <EventIcsLink url={event.ical_url} />}
      </div>
    </li>
  );
}

function List({ when, round, onChange }: { when: "upcoming" | "past"; round: number; onChange: (m: string) => void }) {
  const items = useLoad(() => myEvents(when), [when, round]);
  if (items.state === "loading") return <Loading what="Chargement de vos événements…" />;
  if (items.state === "error") return <ErrorNotice error={items.error} onRetry={items.reload} />;
  if (!items.data.length) {
    return when === "upcoming"
      ? <Empty>Aucun événement à venir. <Link to="/agenda">Parcourir l’agenda</Link></Empty>
      : <Empty>Aucun événement passé.</Empty>;
  }
  return <ul className="cards">{items.data.map((item) => <Row key={item.event.id} item={item} onChange={onChange} />)}</ul>;
}

export function MyEvents() {
  const [message, setMessage] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const changed = (text: string) => { setMessage(text); setRound((n) => n + 1); };
  return (
    <Page title="Mes événements">
      <SpaceNav />
      {message && <Notice tone="success">{message}</Notice>}
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">À venir</h2>
        <List when="upcoming" round={round} onChange={changed} />
      </section>
      <section aria-labelledby="past-title">
        <h2 id="past-title">Passés</h2>
        <List when="past" round={round} onChange={changed} />
      </section>
    </Page>
  );
}
