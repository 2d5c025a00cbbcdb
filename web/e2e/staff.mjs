// The back-office journey (issue 15) in headless Chromium, against a running `maillage dev` seeded with
// `maillage seed` — the same conventions as e2e/run.mjs (BASE_URL, MAILLAGE_CLI, CHROMIUM, E2E_OUT; axe-core
// on every page, no console error, a screenshot of each page, "N passed, N failed" at the end).
//
//   BASE_URL=http://127.0.0.1:8000 node e2e/staff.mjs
//
// PYTHON   the project's venv python, to read the downloaded XLSX and PDF back (default ../.venv/bin/python)
//
// A staff member signs in, creates a local group meeting from its template, invites the group (publishing),
// registers two coordinators, checks one in on a phone-sized screen, exports the attendance XLSX and the PDF
// attendance sheet (both parsed back), runs a PACTE committee to a certificate PDF whose QR code decodes to
// the verification URL, and opens the activity report whose figures equal those computed from the seed files.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import jsQR from "jsqr";
import { chromium } from "playwright-core";
import { errorWatcher, pageChecker } from "./page_check.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..");
const BASE = (process.env.BASE_URL || "").replace(/\/$/, "");
if (!BASE) { console.error("BASE_URL is required (a running `maillage dev`)"); process.exit(2); }
const OUT = process.env.E2E_OUT || join(web, "test-results", "e2e-staff");
const FILES = join(OUT, "files");
const CLI = process.env.MAILLAGE_CLI || join(root, ".venv", "bin", "maillage");
const PYTHON = process.env.PYTHON || join(dirname(CLI), "python");
const STAFF = "claire.bodin@demo.maillage.invalid"; // staff of apmsl
const FEMASAURA_STAFF = "marion.faure@demo.maillage.invalid";
const GROUP = "apmsl-44-est";
const CAMILLE = { id: "demo-person-001", name: "Camille Guérin", structure: "apmsl-pole-sante-loire-et-sevre-reze" };
const LEA = { id: "demo-person-002", name: "Léa Morvan" };
mkdirSync(FILES, { recursive: true });

// ---- the API, as staff, only to look (the journey itself goes through the console) ------------------------
const token = (federation) => execFileSync(CLI, ["token", "--federation", federation, "--role", "staff", "--sub", "e2e-staff"],
  { encoding: "utf-8", env: { ...process.env, MAILLAGE_ENV: process.env.MAILLAGE_ENV || "dev" } }).trim();
const tokens = { apmsl: token("apmsl") };

async function api(method, path, body, federation = "apmsl") {
  const response = await fetch(`${BASE}${path}`, {
    method, headers: { Authorization: `Bearer ${tokens[federation]}`, "Content-Type": "application/json",
      ...(body && body.__ifMatch ? { "If-Match": body.__ifMatch } : {}) },
    body: body === undefined ? undefined : JSON.stringify({ ...body, __ifMatch: undefined }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const read = (kind, path) => JSON.parse(execFileSync(PYTHON, [join(web, "e2e", "staff_read.py"), kind, path],
  { encoding: "utf-8", cwd: root, maxBuffer: 64 * 1024 * 1024 }));

// ---- the checks run on every page (as e2e/run.mjs) ----------------------------------------------------------
const results = [];
// The stale If-Match (412) of the conflict step is its point.
const { errors: consoleErrors, watch } = errorWatcher(BASE, [/status of 412/]);

const checkPage = pageChecker(OUT);

let aborted = false;
async function step(name, body, independent = false) {
  if (aborted && !independent) { results.push({ name, ok: false }); console.log(`not ok - ${name} (an earlier step it needs failed)`); return; }
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name}\n  ${String(error?.stack || error).split("\n").slice(0, 8).join("\n  ")}`);
  }
}
const needed = async (name, body) => { await step(name, body); if (!results.at(-1).ok) aborted = true; };

const text = (page, selector, wanted, timeout = 15000) =>
  page.locator(selector).filter({ hasText: wanted }).first().waitFor({ timeout });

async function waitUntil(what, probe, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function download(page, buttonName, file) {
  const [saved] = await Promise.all([page.waitForEvent("download", { timeout: 30000 }),
    page.getByRole("button", { name: buttonName }).first().click()]);
  const path = join(FILES, file);
  await saved.saveAs(path);
  return { path, suggested: saved.suggestedFilename() };
}

async function signIn(page, email, path) {
  await page.goto(`${BASE}${path}`);
  await page.getByRole("button", { name: "Se connecter" }).last().click();
  await page.locator(`button[value="${email}"]`).click(); // the embedded provider's page
  await page.waitForURL(`${BASE}${path}`);
}

const french = (s) => String(s).replace(/[\u202f\u00a0]/g, " ").trim();
function parisSoon(minutes) {
  // the day and time (Paris) `minutes` from now: check-in opens 12 h before a meeting, so a meeting soon after
  // midnight can be checked in now as well
  const at = new Date(Date.now() + minutes * 60000);
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at).map((p) => [p.type, p.value]));
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}
const dayIn = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

// ---- the journey --------------------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
});
const context = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", viewport: { width: 1280, height: 900 },
  acceptDownloads: true });
const page = await context.newPage();
watch(page);
const title = `Rencontre du groupe 44 est ${Date.now()}`;
let eventId = "";
let code = "";

await needed("a staff member signs in and reaches the back-office", async () => {
  await signIn(page, STAFF, "/gestion");
  await text(page, "h1", "Gestion");
  await page.getByRole("navigation", { name: "Menu de gestion" }).waitFor();
  await checkPage(page, "staff-01-dashboard");
});

await step("structures: search, filters, and an edit refused when someone else saved first", async () => {
  await page.goto(`${BASE}/gestion/structures`);
  await page.getByLabel("Rechercher (nom, commune)").fill("Clisson");
  await text(page, "table a", "Clisson");
  await checkPage(page, "staff-02-structures");
  await page.locator("table a").filter({ hasText: "Clisson" }).first().click();
  await page.getByRole("heading", { name: "Informations" }).waitFor();
  const id = decodeURIComponent(page.url().split("/").pop());
  const etag = (await fetch(`${BASE}/registry/v1/structures/${id}`, { headers: { Authorization: `Bearer ${tokens.apmsl}` } })).headers.get("ETag");
  await page.getByLabel("Téléphone").fill("02 40 00 00 01");
  await api("PATCH", `/registry/v1/structures/${id}`, { website: `https://exemple.fr/${Date.now()}`, __ifMatch: etag });
  await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
  await text(page, ".notice.error", "Modifié par quelqu’un d’autre");
  await checkPage(page, "staff-03-structure-conflict");
});

await needed("creates a local group meeting from its template", async () => {
  await page.goto(`${BASE}/gestion/evenements/nouveau`);
  await page.getByLabel("Réunion de groupe local").check();
  await page.getByLabel("Groupe local", { exact: true }).selectOption(GROUP);
  await page.getByLabel("Titre").fill(title);
  // check-in opens 12 h before the meeting: it starts in 45 minutes (registrations close at its start)
  const [today, start] = parisSoon(45);
  await page.getByLabel("Date", { exact: true }).fill(today);
  await page.getByLabel("Heure de début").fill(start);
  await page.getByLabel("Lieu (nom)").fill("Maison de santé");
  await page.getByLabel("Commune").fill("Rezé");
  await checkPage(page, "staff-04-new-event");
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await text(page, "h1", title);
  eventId = decodeURIComponent(page.url().split("/").pop());
  if (eventId === "nouveau") throw new Error("still on the creation page");
  await text(page, "p", "groupe(s) apmsl-44-est");
});

await step("invites the group: publishing sends the invitations", async () => {
  await page.getByRole("button", { name: "Publier et inviter" }).click();
  await page.getByRole("button", { name: "Oui, publier" }).click();
  await text(page, ".notice.success", "Événement publié");
  await text(page, ".lead", "Publié");
  const invitations = await waitUntil("the invitations in the delivery log", async () => {
    const log = await api("GET", `/notifications/v1/deliveries?event_id=${encodeURIComponent(eventId)}&template=invitation&per_page=100`);
    return log.items.length >= 2 ? log.items : null;
  }, 180000);
  const people = new Set(invitations.map((d) => d.person_id));
  if (!people.has(CAMILLE.id) || !people.has(LEA.id)) throw new Error(`the group's coordinators were not invited: ${[...people]}`);
  console.log(`  ${invitations.length} invitations`);
});

await needed("registers two coordinators", async () => {
  for (const person of [CAMILLE, LEA]) {
    await page.getByLabel("Rechercher une personne (nom)").fill(person.name.split(" ")[1]);
    await page.getByRole("button", { name: `Inscrire ${person.name}` }).click();
    await text(page, ".notice.success", `${person.name} : Inscrit·e`);
  }
  await text(page, "#registrations ~ table td, section table td", "Léa Morvan");
  await checkPage(page, "staff-05-event");
});

await needed("checks one in on a phone: search by name, one tap", async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(`${BASE}/gestion/evenements/${encodeURIComponent(eventId)}/emargement`);
  await page.getByLabel("Rechercher un nom").fill("guer");
  await page.getByRole("button", { name: "Présent·e : Camille Guérin" }).click();
  await text(page, ".checkin .present", "Présent·e");
  await text(page, ".checkin p", "1 présent·es sur 2");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  if (overflow) throw new Error("the check-in page scrolls sideways on a phone");
  await checkPage(page, "staff-06-phone-checkin");
  await page.setViewportSize({ width: 1280, height: 900 });
});

await step("exports the attendance XLSX and the PDF attendance sheet, read back", async () => {
  await page.goto(`${BASE}/gestion/evenements/${encodeURIComponent(eventId)}`);
  await text(page, "h1", title);
  const xlsx = await download(page, "Présences (XLSX)", "presences.xlsx");
  const sheets = read("xlsx", xlsx.path);
  const rows = Object.values(sheets).flat().map((r) => r.map((c) => (c == null ? "" : String(c))));
  const camille = rows.find((r) => r.includes("Guérin"));
  const lea = rows.find((r) => r.includes("Morvan"));
  if (!camille || !lea) throw new Error(`the attendance XLSX lacks a registrant: ${JSON.stringify(rows).slice(0, 600)}`);
  if (!camille.some((c) => /présent/i.test(c))) throw new Error(`Camille is not present in the XLSX: ${camille}`);
  if (lea.some((c) => /^présente?$|^présent·e$/i.test(c))) throw new Error(`Léa is marked present in the XLSX: ${lea}`);
  const headers = rows.find((r) => r.some((c) => /^Nom$/i.test(c)));
  if (!headers) throw new Error(`no French header row: ${JSON.stringify(rows.slice(0, 4))}`);
  const sheet = await download(page, "Feuille d’émargement (PDF)", "emargement.pdf");
  const pdf = read("pdf", sheet.path);
  for (const wanted of ["Guérin", "Morvan", "margement"]) {
    if (!pdf.text.includes(wanted)) throw new Error(`the attendance sheet lacks ${wanted}: ${pdf.text.slice(0, 500)}`);
  }
  console.log(`  ${xlsx.suggested}: ${rows.length} rows; ${sheet.suggested}: ${pdf.pages} page(s)`);
});

await step("the delivery log filtered by this event", async () => {
  await page.goto(`${BASE}/gestion/notifications?event_id=${encodeURIComponent(eventId)}`);
  await page.locator("table tbody tr").first().waitFor();
  await checkPage(page, "staff-07-deliveries");
});

await step("runs a PACTE committee to a certificate whose QR code opens the verification page", async () => {
  const programme = (await api("GET", "/training/v1/programmes?code=pacte-msp")).items[0];
  const before = new Set((await api("GET", "/training/v1/cohorts?per_page=100")).items.map((c) => c.id));
  await page.goto(`${BASE}/gestion/formations`);
  await page.getByLabel("Programme").selectOption(programme.id);
  await page.getByLabel("Ville").fill("Nantes");
  await page.getByLabel("Places").fill("2");
  await page.getByRole("button", { name: "Ouvrir la cohorte" }).click();
  const cohort = await waitUntil("the new cohort", async () =>
    (await api("GET", "/training/v1/cohorts?per_page=100")).items.find((c) => !before.has(c.id)));
  await checkPage(page, "staff-08-training");
  await page.goto(`${BASE}/gestion/cohortes/${encodeURIComponent(cohort.id)}`);
  await page.getByLabel("Personne (id du registre)").fill(CAMILLE.id);
  await page.getByLabel("Structure coordonnée (id)").fill(CAMILLE.structure);
  await page.getByLabel("Motivation").fill("Structurer la coordination de notre pôle de santé.");
  await page.getByRole("button", { name: "Déposer la candidature" }).click();
  await text(page, ".notice.success", "Candidature déposée");
  await page.getByRole("button", { name: "Clore les candidatures" }).click();
  await text(page, ".lead", "Sélection en cours");
  await page.getByLabel("Membre 1 : nom").fill("Claire Bodin");
  await page.getByLabel("Membre 2 : nom").fill("Dr Anne Leroy");
  await page.getByLabel("Membre 2 : fonction").fill("Référente soins primaires");
  await page.getByRole("button", { name: "Enregistrer le comité" }).click();
  await text(page, "p", "Dr Anne Leroy (ARS");
  for (const [member, score] of [["Claire Bodin", "15"], ["Dr Anne Leroy", "14,5"]]) {
    await page.getByLabel("Membre du comité").selectOption(member);
    await page.getByLabel("Note sur 20").fill(score);
    await page.getByRole("button", { name: "Noter" }).click();
    await text(page, ".notice.success", "Note enregistrée");
    await text(page, "li", `${member} (`);
  }
  await text(page, "strong", "14,75 / 20");
  await page.getByLabel("Décision", { exact: true }).selectOption("accepted");
  await page.getByLabel("Motif de la décision").fill("Projet de coordination solide, équipe engagée.");
  await page.getByRole("button", { name: "Enregistrer la décision" }).click();
  await text(page, ".notice.success", "Décision enregistrée");
  await page.getByText("Traçabilité des décisions").click();
  await text(page, "details li", "Projet de coordination solide");
  await checkPage(page, "staff-09-committee");
  await page.getByRole("button", { name: "Clore la sélection" }).click();
  await page.getByRole("button", { name: "Oui, clore la sélection" }).click();
  await text(page, ".notice.success", "Sélection close");
  await page.getByRole("button", { name: "Démarrer la cohorte" }).click();
  await text(page, ".lead", "En cours");
  await page.getByRole("button", { name: "Enregistrer la soutenance" }).click();
  await text(page, ".notice.success", "Soutenance enregistrée");
  await page.getByRole("button", { name: /Délivrer le certificat/ }).click();
  await text(page, ".notice.success", "Certificat délivré");
  code = (await page.locator("article code").first().textContent()).trim();
  await checkPage(page, "staff-10-certified");
  const certificate = await download(page, "Télécharger le certificat (PDF)", "certificat.pdf");
  const pdf = read("pdf", certificate.path);
  if (!pdf.image) throw new Error("no QR image in the certificate PDF");
  const pixels = new Uint8ClampedArray(Buffer.from(pdf.image.rgba, "base64"));
  const qr = jsQR(pixels, pdf.image.width, pdf.image.height);
  const wanted = `${BASE}/certificats/${code}`;
  if (!qr || qr.data !== wanted) throw new Error(`the QR code says ${qr?.data}, not ${wanted}`);
  if (!pdf.text.includes("Camille") || !pdf.text.includes(code)) throw new Error(`the certificate lacks its holder or code: ${pdf.text}`);
  console.log(`  QR code: ${qr.data}`);
  await page.goto(wanted);
  await text(page, "main", "Camille");
}, true);

await step("the other back-office pages: people, local groups, territories, templates, webhooks, go/no-go", async () => {
  for (const [path, name, ready] of [
    ["/gestion/personnes", "staff-11-people", "table tbody tr"],
    [`/gestion/personnes/${CAMILLE.id}`, "staff-12-person", "#roles"],
    ["/gestion/groupes", "staff-13-groups", "table tbody tr"],
    [`/gestion/groupes/${GROUP}`, "staff-14-group", "table tbody tr"],
    ["/gestion/territoires", "staff-15-territories", "h1"],
    ["/gestion/evenements", "staff-16-events", "#board"],
    ["/gestion/notifications/modeles", "staff-17-templates", "select"],
    ["/gestion/notifications/webhooks", "staff-18-webhooks", "#new-hook"],
  ]) {
    await page.goto(`${BASE}${path}`);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState("networkidle");
    await checkPage(page, name);
  }
  await page.goto(`${BASE}/gestion/notifications/modeles`);
  await page.getByLabel("Modèle à prévisualiser").selectOption({ index: 1 });
  await page.locator("#preview").waitFor();
  await checkPage(page, "staff-19-template-preview");
}, true);

await step("the activity report of femasaura 2024 shows the seeds' figures, with its XLSX and PDF", async () => {
  const other = await browser.newContext({ locale: "fr-FR", timezoneId: "Europe/Paris", viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const report = await other.newPage();
  watch(report);
  await signIn(report, FEMASAURA_STAFF, "/gestion/rapport/femasaura/2024");
  await report.locator('[data-figure="events.totals.attendance_rate"]').waitFor({ timeout: 30000 });
  const figure = async (path) => french(await report.locator(`[data-figure="${path}"] dd`).first().textContent());
  // Computed here from the seed files, independently of the services.
  const seededEvents = JSON.parse(readFileSync(join(root, "services", "events", "data", "demo_events.json"), "utf-8")).events
    .filter((e) => e.federation === "femasaura" && e.start.slice(0, 4) === "2024");
  const kinds = {};
  for (const e of seededEvents) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  for (const [kind, n] of Object.entries(kinds)) {
    const shown = await figure(`events.events_by_kind.${kind}`);
    if (shown !== String(n)) throw new Error(`${kind}: the page says ${shown}, the seeds ${n}`);
  }
  const both = seededEvents.map((e) => e.figures).filter((f) => "registered" in f && "attended" in f);
  const rate = both.reduce((a, f) => a + f.attended, 0) / both.reduce((a, f) => a + f.registered, 0);
  const rateText = french(new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 }).format(rate));
  if ((await figure("events.totals.attendance_rate")) !== rateText) throw new Error(`attendance rate ${await figure("events.totals.attendance_rate")} ≠ ${rateText}`);
  const webinars = seededEvents.filter((e) => e.kind === "webinar");
  const participants = webinars.reduce((a, e) => a + e.figures.attended, 0);
  const replays = webinars.reduce((a, e) => a + e.figures.replay_views, 0);
  if ((await figure("events.webinar_totals.participants")) !== String(participants)) throw new Error("webinar participants");
  if ((await figure("events.webinar_totals.replay_views")) !== String(replays)) throw new Error("replay views");
  const network = JSON.parse(readFileSync(join(root, "services", "registry", "data", "demo_network.json"), "utf-8"));
  const structures = network.structures.filter((s) => s.federation === "femasaura");
  if ((await figure("registry.structures.total")) !== String(structures.length)) {
    throw new Error(`structures: the page says ${await figure("registry.structures.total")}, the seeds ${structures.length}`);
  }
  console.log(`  seeds = page: ${JSON.stringify(kinds)}, attendance ${rateText}, webinars ${participants}/${replays}, ${structures.length} structures`);
  await report.locator("svg[role=img]").first().waitFor();
  await checkPage(report, "staff-20-report");
  const section = report.locator('[data-section="events"]');
  const [x] = await Promise.all([report.waitForEvent("download"), section.getByRole("button", { name: "Télécharger en XLSX" }).click()]);
  await x.saveAs(join(FILES, "rapport-evenements.xlsx"));
  const tables = read("xlsx", join(FILES, "rapport-evenements.xlsx"));
  const key = Object.fromEntries((tables["Chiffres clés des événements"] ?? []).slice(1).map((r) => [r[0], r[1]]));
  if (Math.abs(Number(key["Taux de présence (inscrits et présents connus)"]) - rate) > 0.0005) throw new Error(`XLSX rate ${JSON.stringify(key)}`);
  const [p] = await Promise.all([report.waitForEvent("download"), section.getByRole("button", { name: "Télécharger en PDF" }).click()]);
  await p.saveAs(join(FILES, "rapport-evenements.pdf"));
  const pdf = read("pdf", join(FILES, "rapport-evenements.pdf"));
  if (!french(pdf.text).includes(rateText)) throw new Error(`the report PDF lacks ${rateText}`);
  await other.close();
}, true);

await step("no console error on any page", async () => {
  if (consoleErrors.length) throw new Error(consoleErrors.join("\n"));
}, true);

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`screenshots in ${OUT}`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
