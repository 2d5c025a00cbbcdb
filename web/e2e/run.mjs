// End-to-end journeys of the console in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core: no browser download), against a running `maillage dev` seeded with `maillage seed`.
//
//   BASE_URL=http://127.0.0.1:8000 node e2e/run.mjs
//
// BASE_URL      the dev server (required)
// MAILLAGE_CLI  the `maillage` command, for a staff token that sets up the journeys' meetings (default ../.venv/bin/maillage)
// CHROMIUM      the browser (default /usr/bin/chromium)
// E2E_OUT       where screenshots go (default web/test-results/e2e; gitignored)
//
// Each page is checked with axe-core (no serious or critical violation) and for console errors; a
// screenshot of each is saved. Exit 0 only when every journey passed.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { errorWatcher, pageChecker } from "./page_check.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BASE = (process.env.BASE_URL || "").replace(/\/$/, "");
if (!BASE) { console.error("BASE_URL is required (a running `maillage dev`)"); process.exit(2); }
const OUT = process.env.E2E_OUT || join(web, "test-results", "e2e");
const CLI = process.env.MAILLAGE_CLI || join(web, "..", ".venv", "bin", "maillage");
const COORDINATOR = { email: "camille.guerin@demo.maillage.invalid", personId: "demo-person-001" };
const OTHER_COORDINATOR = "demo-person-002";
mkdirSync(OUT, { recursive: true });
for (const old of readdirSync(OUT)) if (old.endsWith(".png")) rmSync(join(OUT, old)); // this run's only

// ---- the API, as staff, to set the scene ------------------------------------------------------------------
const staffToken = execFileSync(CLI, ["token", "--federation", "apmsl", "--role", "staff", "--sub", "e2e-staff"],
  { encoding: "utf-8", env: { ...process.env, MAILLAGE_ENV: process.env.MAILLAGE_ENV || "dev" } }).trim();

async function api(method, path, body) {
  const response = await fetch(`${BASE}${path}`, {
    method, headers: { Authorization: `Bearer ${staffToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

function inDays(days, hour) {
  const d = new Date(Date.now() + days * 86400000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().replace(".000Z", "+00:00");
}

async function publishedMeeting(title, capacity, days) {
  const event = await api("POST", "/events/v1/events", {
    kind: "regional_day", title, format: "in_person", capacity, department: "44",
    starts_at: inDays(days, 13), ends_at: inDays(days, 16),
    venue: { name: "Maison des associations", address: "12 rue de la Paix", postal_code: "44000", city: "Nantes" },
    audience: { roles: ["coordinator"] }, theme: "Coordonner une équipe pluriprofessionnelle",
    agenda_items: ["Accueil et tour de table", "Ateliers", "Synthèse"],
    speakers: [{ name: "Dr Anne Lemaire", organization: "ARS Pays de la Loire", topic: "Exercice coordonné" }],
  });
  await api("POST", `/events/v1/events/${event.id}/publish`, {});
  return event;
}

// ---- the checks run on every page -------------------------------------------------------------------------
const results = [];
// Failed loads that are the point of a test: map tiles offline, a certificate code that does not exist,
// the identity provider's own page (its stylesheet comes from a CDN, unreachable here).
// (Chromium logs every 4xx answer as a console error, even one the page shows as a message.)
const expectedFailures = [/\/training\/v1\/certificates\/INCONNU/, /127\.0\.0\.1:9\//,
  /status of 422 .*\/registry\/v1\/structures\//];

const { errors: consoleErrors, watch } = errorWatcher(BASE, expectedFailures);

const checkPage = pageChecker(OUT);

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name}\n  ${String(error?.stack || error).split("\n").slice(0, 6).join("\n  ")}`);
  }
}

// Generous waits: CI machines are shared (2 cores); a wait is a ceiling, not a pace.
const text = (page, selector, wanted, timeout = 45000) =>
  page.locator(selector).filter({ hasText: wanted }).first().waitFor({ timeout });

async function waitUntil(what, probe, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// ---- the journeys ---------------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
});
const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(45000);
const page = await context.newPage();
watch(page);

const open = await publishedMeeting(`Rencontre des coordinateurs ${Date.now()}`, 5, 12);
const full = await publishedMeeting(`Atelier complet ${Date.now()}`, 1, 14);
await api("POST", `/events/v1/events/${full.id}/registrations`, { person_id: OTHER_COORDINATOR });

await step("a visitor sees the agenda, upcoming first, and filters it", async () => {
  await page.goto(`${BASE}/`);
  await page.locator(".event-card").first().waitFor();
  const days = await page.locator(".event-card .when").allTextContents();
  if (!days.length) throw new Error("no event in the agenda");
  await checkPage(page, "01-agenda");
  await page.keyboard.press("Tab"); // keyboard: the first stop skips to the content
  const first = await page.evaluate(() => document.activeElement?.textContent);
  if (first !== "Aller au contenu") throw new Error(`the first Tab stop is ${first}`);
  await page.keyboard.press("Enter");
  if (await page.evaluate(() => document.activeElement?.id) !== "contenu") throw new Error("the skip link does not reach the content");
  await page.getByLabel("Type").selectOption("regional_day");
  await page.waitForURL(/kind=regional_day/);
  await text(page, ".event-card h3", open.title);
  await page.getByLabel("Format").selectOption("in_person");
  await page.waitForURL(/format=in_person/);
  await text(page, ".event-card h3", open.title);
  await page.getByLabel("Fédération").selectOption("apmsl");
  await page.getByText("Ajouter l’agenda de cette fédération", { exact: false }).waitFor();
  const feed = await page.locator(".feed code.url").textContent();
  if (!feed.endsWith("/events/v1/agenda/federations/apmsl.ics")) throw new Error(`feed URL ${feed}`);
  const ics = await fetch(feed);
  if (!ics.ok || !(await ics.text()).includes("BEGIN:VCALENDAR")) throw new Error("the feed is not an iCal calendar");
  await checkPage(page, "02-agenda-filtered");
});

await step("a visitor reads a local group's agenda", async () => {
  await page.goto(`${BASE}/agenda/apmsl`);
  const link = page.locator(".groups a").first();
  await link.waitFor();
  const name = await link.textContent();
  await link.click();
  await page.locator("h1").filter({ hasText: `Agenda du groupe local ${name}` }).waitFor();
  await page.getByText("Ajouter l’agenda de ce groupe", { exact: false }).waitFor();
  await page.locator(".event-card, .state.empty").first().waitFor();
  await checkPage(page, "03-local-group");
});

await step("a visitor opens an event: date in French, ordre du jour, seats, no address", async () => {
  await page.goto(`${BASE}/evenements/${open.id}`);
  await text(page, "h1", open.title);
  await text(page, ".facts dd", /^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \p{L}+ \d{4}, de 14:00 à 17:00$/u);
  await text(page, ".seats", "5 places restantes");
  await text(page, "ol li", "Ateliers");
  await text(page, "li", "Dr Anne Lemaire, ARS Pays de la Loire");
  if (await page.getByText("12 rue de la Paix").count()) throw new Error("the address is shown to a visitor");
  const ics = await fetch(await page.getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).getAttribute("href"));
  const calendar = await ics.text();
  if (!calendar.includes(`UID:${open.id}@maillage`)) throw new Error("the event's .ics does not carry its UID");
  await checkPage(page, "04-event-visitor");
});

await step("a visitor browses the map: tiles offline, the plain map and the list instead", async () => {
  await page.goto(`${BASE}/carte`);
  await page.locator(".legend, .state.empty").first().waitFor();
  const legend = await page.locator(".legend").textContent();
  const count = Number(/(\d+) structure/.exec(legend)?.[1] ?? 0);
  if (count > 0) {
    await page.getByText("Le fond de carte n’a pas pu être chargé").waitFor();
    await page.locator("svg.plain-map circle").first().waitFor();
    await page.locator("table tbody tr").first().waitFor();
    await checkPage(page, "05-map");
  } else {
    console.log("  note: no structure has a geo point yet (web/API_NEEDS.md #6)");
  }
  await page.getByLabel("Type").selectOption("CPTS");
  await page.waitForURL(/kind=CPTS/);
  await checkPage(page, "05-map-cpts");
});

await step("a visitor checks a certificate code that does not exist", async () => {
  await page.goto(`${BASE}/certificats`);
  await page.getByRole("button", { name: "Vérifier" }).click();
  await text(page, ".field-error", "Saisissez le code");
  await page.getByLabel("Code du certificat").fill("INCONNU-0000");
  await page.getByRole("button", { name: "Vérifier" }).click();
  await text(page, ".notice", "Aucun certificat");
  await checkPage(page, "06-certificate");
});

await step("a coordinator signs in through the identity provider and registers: the seats drop", async () => {
  await page.goto(`${BASE}/evenements/${open.id}`);
  await page.getByRole("button", { name: "Se connecter pour s’inscrire" }).click();
  await page.locator(`button[value="${COORDINATOR.email}"]`).click(); // the embedded provider's page
  await page.waitForURL(`${BASE}/evenements/${open.id}`);
  await text(page, "header .who", "Camille");
  await page.getByRole("button", { name: "Je m’inscris" }).click();
  await text(page, ".notice.success", "Vous êtes inscrit·e");
  await text(page, ".seats", "4 places restantes");
  await page.getByText("12 rue de la Paix", { exact: false }).waitFor();
  await checkPage(page, "07-event-registered");
});

await step("the coordinator finds it in their space, then cancels: the seat comes back", async () => {
  await page.goto(`${BASE}/mon-espace`);
  await text(page, ".card h3", open.title);
  await checkPage(page, "08-my-events");
  await page.goto(`${BASE}/evenements/${open.id}`);
  await page.getByRole("button", { name: "Annuler mon inscription" }).click();
  await text(page, ".notice.success", "Votre inscription est annulée");
  await text(page, ".seats", "5 places restantes");
  await page.getByRole("button", { name: "Je ne pourrai pas venir" }).click();
  await text(page, ".notice.success", "les organisateurs savent");
  await text(page, ".registration .status", "ne pourrez pas venir");
});

await step("the confirmation and the cancellation e-mails are in the delivery log", async () => {
  const deliveries = await waitUntil("a confirmation and a cancellation e-mail", async () => {
    const page1 = await api("GET", `/notifications/v1/deliveries?person_id=${COORDINATOR.personId}&per_page=100`);
    const mine = page1.items.filter((d) => d.channel === "email" && JSON.stringify(d).includes(open.id));
    const templates = new Set(mine.map((d) => d.template));
    return templates.has("registration_confirmed") && templates.has("registration_cancelled") ? mine : null;
  }, 120000);
  console.log(`  deliveries: ${deliveries.map((d) => `${d.template ?? d.category}/${d.status}`).join(", ")}`);
});

await step("the coordinator reads their e-mails in their space", async () => {
  await page.goto(`${BASE}/mon-espace/e-mails`);
  await page.locator("table.emails tbody tr").first().waitFor();
  const rows = await page.locator("table.emails tbody tr").count();
  if (rows < 2) throw new Error(`only ${rows} e-mail(s) listed`);
  await checkPage(page, "09-my-emails");
});

await step("a full meeting puts the coordinator on the waiting list with their rank", async () => {
  await page.goto(`${BASE}/evenements/${full.id}`);
  await text(page, ".seats", "Complet");
  await page.getByRole("button", { name: "M’inscrire sur la liste d’attente" }).click();
  await text(page, ".notice.success", "1ʳᵉ sur la liste d’attente");
  await text(page, ".registration .status", "Sur liste d’attente");
  await checkPage(page, "10-event-waitlisted");
  await page.goto(`${BASE}/mon-espace`);
  await text(page, ".card .status", "1ʳᵉ sur la liste d’attente");
});

await step("the coordinator's structure, trainings, preferences and data pages", async () => {
  await page.goto(`${BASE}/mon-espace/structure`);
  await page.getByLabel("Téléphone").first().waitFor();
  await page.getByLabel("Site web").first().fill("pas une adresse");
  await page.getByRole("button", { name: "Enregistrer" }).first().click();
  await page.locator(".field-error").first().waitFor(); // the API's per-field message, next to the field
  await checkPage(page, "11-my-structure");
  await page.goto(`${BASE}/mon-espace/formations`);
  await page.locator(".card, .state.empty").first().waitFor();
  await checkPage(page, "12-my-trainings");
  await page.goto(`${BASE}/preferences`);
  await page.locator("input[type=checkbox]").first().waitFor();
  if (!(await page.locator("input[type=checkbox][disabled]").count())) throw new Error("no critical category shown locked");
  await page.getByLabel("les rappels avant un événement").uncheck();
  await page.getByRole("button", { name: "Enregistrer mes préférences" }).click();
  await text(page, ".notice.success", "Préférences enregistrées");
  await page.reload();
  await page.locator("input[type=checkbox]").first().waitFor();
  if (await page.getByLabel("les rappels avant un événement").isChecked()) throw new Error("the preference was not kept");
  await checkPage(page, "13-preferences");
  await page.goto(`${BASE}/mes-donnees`);
  const downloaded = page.waitForEvent("download");
  await page.getByRole("button", { name: "Télécharger (JSON)" }).first().click();
  const file = await downloaded;
  if (file.suggestedFilename() !== "mes-donnees-annuaire.json") throw new Error(`downloaded ${file.suggestedFilename()}`);
  await checkPage(page, "14-my-data");
});

await step("on a phone: the agenda and an event page", async () => {
  const phone = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris",
    viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  phone.setDefaultTimeout(45000);
  const small = await phone.newPage();
  watch(small);
  await small.goto(`${BASE}/agenda`);
  await small.locator(".event-card").first().waitFor();
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  if (overflow) throw new Error("the agenda scrolls sideways on a phone");
  await checkPage(small, "15-phone-agenda");
  await small.goto(`${BASE}/evenements/${open.id}`);
  await text(small, ".seats", "places restantes");
  await checkPage(small, "16-phone-event");
  await phone.close();
});

await step("no console error on any page", async () => {
  if (consoleErrors.length) throw new Error(consoleErrors.join("\n"));
});

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`screenshots in ${OUT}`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
