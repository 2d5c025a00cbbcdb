// Check-in at the door, on a phone: the list is loaded once (the venue's network may be poor), a few letters of
// a name find the person, one tap records them present (a second tap corrects a mistake).
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { data, events } from "../../api/client";
import type { components } from "../../api/schema/events";
import { Page } from "../../components/Layout";
import { Empty, ErrorNotice, Loading, Notice } from "../../components/status";
import { useLoad } from "../../components/useLoad";
import { Download, FormError } from "../../components/staff/ui";
import { formatRange, todayInParis } from "../../lib/dates";
import { checkinCounts, fullName, searchRegistrants } from "../../lib/staff/checkin";
import { allRegistrations } from "./Events";

type Registration = components["schemas"]["Registration"];

export function CheckIn() {
  const { eventId = "" } = useParams();
  const loaded = useLoad(async () => {
    const ev = await data(events.GET("/events/v1/events/{event_id}", { params: { path: { event_id: eventId } } }));
    return { ev, registrations: await allRegistrations(eventId) };
  }, [eventId]);
  const [q, setQ] = useState("");
  const [changed, setChanged] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState("");
  if (loaded.state === "loading") return <Loading what="Chargement de la liste des inscrits…" />;
  if (loaded.state === "error") return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  const { ev } = loaded.data;
  const registrations: Registration[] = loaded.data.registrations.map((r) => ({ ...r, status: changed[r.id] ?? r.status }));
  const found = searchRegistrants(registrations, q);
  const counts = checkinCounts(registrations);
  const mark = async (r: Registration, status: "attended" | "absent") => {
    setBusy(r.id); setError(null);
    try {
      const updated = await data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/attendance",
        { params: { path: { event_id: ev.id, registration_id: r.id } }, body: { status } }));
      setChanged({ ...changed, [r.id]: updated.status });
      setSaid(`${fullName(r)} : ${status === "attended" ? "présent·e" : "absent·e"}.`);
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  return (
    <div className="checkin">
      <Page title={`Émargement — ${ev.title}`} lead={formatRange(ev.starts_at, ev.ends_at, ev.timezone)}>
        {todayInParis() < (ev.starts_at_local ?? ev.starts_at).slice(0, 10) && (
          <Notice tone="warning">L’émargement ouvre le jour de l’événement : la liste est consultable, les présences s’enregistrent le jour même.</Notice>
        )}
        <p aria-live="polite"><strong>{counts.present}</strong> présent·es sur {counts.expected} inscrit·es.</p>
        <p className="visually-hidden" aria-live="assertive">{said}</p>
        <FormError error={error} />
        <label htmlFor="checkin-search">Rechercher un nom</label>
        <input id="checkin-search" type="search" autoComplete="off" value={q} onChange={(e) => setQ(e.target.value)}
          placeholder="3 lettres du nom ou du prénom" />
        {found.length === 0 ? <Empty>{q ? "Personne ne correspond parmi les inscrit·es." : "Aucun·e inscrit·e."}</Empty> : (
          <ul aria-label="Inscrit·es">
            {found.map((r) => (
              <li key={r.id}>
                <span><strong>{fullName(r)}</strong>{r.organization ? <><br /><small>{r.organization}</small></> : null}</span>
                {r.status === "attended" ? (
                  <span><span className="present">✓ Présent·e</span>{" "}
                    <button type="button" className="secondary" disabled={busy === r.id} onClick={() => mark(r, "absent")}>
                      Corriger<span className="visually-hidden"> : {fullName(r)} absent·e</span></button></span>
                ) : (
                  <button type="button" disabled={busy === r.id} onClick={() => mark(r, "attended")}>
                    Présent·e<span className="visually-hidden"> : {fullName(r)}</span></button>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <Download path={`/events/v1/events/${encodeURIComponent(ev.id)}/attendance.xlsx`} fallback="presences.xlsx">Présences (XLSX)</Download>
          <Link to={`/gestion/evenements/${encodeURIComponent(ev.id)}`}>Retour à l’événement</Link>
        </div>
      </Page>
    </div>
  );
}
