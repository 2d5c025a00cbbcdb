// The signed-in person's registrations (GET /events/v1/me/registrations), every page.
import { data, events } from "../api/client";
import type { components } from "../api/schema/events";

export type Registration = components["schemas"]["Registration"];

export async function allMyRegistrations(maxPages = 10): Promise<Registration[]> {
  const all: Registration[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const result = await data(events.GET("/events/v1/me/registrations", { params: { query: { page, per_page: 100 } } }));
    all.push(...result.items);
    if (all.length >= result.total || result.items.length === 0) break;
  }
  return all;
}

export function register(eventId: string): Promise<Registration> {
  return data(events.POST("/events/v1/events/{event_id}/registrations",
    { params: { path: { event_id: eventId } }, body: {} }));
}

export function cancelRegistration(eventId: string, registrationId: string, reason?: string): Promise<Registration> {
  return data(events.POST("/events/v1/events/{event_id}/registrations/{registration_id}/cancel",
    { params: { path: { event_id: eventId, registration_id: registrationId } }, body: reason ? { reason } : {} }));
}
