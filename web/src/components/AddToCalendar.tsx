// « Ajouter à mon agenda »: this event as a .ics file, and the feed to subscribe to.
import { eventIcs, webcalUrl, type CalendarEvent } from "../lib/ical";

export function DownloadIcs({ event }: { event: CalendarEvent }) {
  const download = () => {
    const blob = new Blob([eventIcs({ ...event, url: `${window.location.origin}/evenements/${event.id}` })],
      { type: "text/calendar;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = "evenement.ics";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return <button type="button" className="secondary" onClick={download}>Ajouter à mon agenda (.ics)</button>;
}

export function FeedLinks({ path, what }: { path: string; what: string }) {
  const absolute = `${window.location.origin}${path}`;
  return (
    <div className="feed">
      <p>Ajouter {what} à mon agenda :{" "}
        <a href={webcalUrl(absolute)}>s’abonner</a>{" · "}
        <a href={path} download>télécharger le fichier .ics</a>
      </p>
      <p className="hint">Adresse du flux iCal, à coller dans votre agenda : <code className="url">{absolute}</code></p>
    </div>
  );
}
