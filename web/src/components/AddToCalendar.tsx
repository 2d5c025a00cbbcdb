// « Ajouter à mon agenda »: one event's .ics, and the feed (federation or local group) to subscribe to.
import { webcalUrl } from "../lib/ical";

export function EventIcsLink({ url }: { url: string }) {
  return <a className="button secondary" href={url} download>Ajouter à mon agenda (.ics)</a>;
}

export function FeedLinks({ url, what }: { url: string; what: string }) {
  return (
    <div className="feed">
      <p>Ajouter {what} à mon agenda :{" "}
        <a href={webcalUrl(url)}>s’abonner</a>{" · "}
        <a href={url} download>télécharger le fichier .ics</a>
      </p>
      <p className="hint">Adresse du flux iCal, à coller dans votre agenda : <code className="url">{url}</code></p>
    </div>
  );
}
