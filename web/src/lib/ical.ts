// "Ajouter à mon agenda": the API gives each event's .ics and each agenda's feed; webcal:// makes
// calendar programs offer to subscribe to a feed rather than import it once.
export function webcalUrl(absoluteHttpUrl: string): string {
  return absoluteHttpUrl.replace(/^https?:\/\//, "webcal://");
}
