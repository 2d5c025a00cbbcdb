// The signed-in person's events (GET /events/v1/me/events): their registration, whether they may still
// cancel, the whole venue and the video link once they have a seat.
import { data, events } from "../api/client";
import type { components } from "../api/schema/events";

export type MyEventItem = components["schemas"]["MyEventItem"];
export type MyRegistration = components["schemas"]["MyRegistration"];
export type Registration = components["schemas"]["Registration"];

export async function myEvents(when: "upcoming" | "past", maxPages = 10): Promise<MyEventItem[]> {
  const all: MyEventItem[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const result = await data(events.GET("/events/v1/me/events", { params: { query: { when, page, per_page: 100 } } }));
    all.push(...result.items);
    if (all.length >= result.total || result.items.length === 0) break;
  }
  return all;
}

export async function myEvent(eventId: string): Promise<MyEventItem | null> {
  const result = await data(events.GET("/events/v1/me/events", { params: { query: { event_id: eventId } } }));
  return result.items[0] ?? null;
}

/** The registration of an item, or null (none, or declined only: the API sends `{}` or null then). */
export function registrationOf(item: MyEventItem | null | undefined): MyRegistration | null {
  const registration = item?.registration as MyRegistration | Record<string, never> | null | undefined;
  return registration && "id" in registration ? (registration as MyRegistration) : null;
}

export function register(eventId: string): Promise<Registration> {
  return data(events.POST("/events/v1/events/{event_id}/registrations",
    { params: { path: { event_id: eventId } }, body: {} }));
}

export function cancelRegistration(eventId: string, registrationId: string): Promise<Registration> {
  return data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/cancel",
    { params: { path: { event_id: eventId, registration_id: registrationId } }, body: {} }));
}

/** « Je ne pourrai pas venir »: recorded for the organizers; cancels an active registration too. */
export function decline(eventId: string) {
  return data(events.POST("/events/v1/events/{event_id}/decline", { params: { path: { event_id: eventId } }, body: {} }));
}
