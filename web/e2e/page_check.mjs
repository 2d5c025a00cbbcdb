// What the browser journeys check on every page they open: axe-core finds no serious or critical
// violation, a full-page screenshot is saved for a person to look at, and the page logs no error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf-8");

/** `checkPage(page, name)`: run axe-core on `page`, save `<out>/<name>.png`, throw on a serious violation. */
export function pageChecker(out) {
  return async function checkPage(page, name) {
    await page.evaluate(AXE);
    const found = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ["violations"] })).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`));
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    if (found.length) throw new Error(`axe-core on ${name}: ${found.join("; ")}`);
  };
}

/** `watch(page)` collects into `errors` this site's console errors, uncaught exceptions and failed
 * requests, except those matching one of `expectedFailures` (the point of a step). */
export function errorWatcher(base, expectedFailures = []) {
  const errors = [];
  const expected = (text) => expectedFailures.some((re) => re.test(text));
  function watch(page) {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const url = message.location()?.url || "";
      if (!url.startsWith(base) && !message.text().includes(base)) return; // another site's page
      const text = `${message.text()} ${url}`;
      if (!expected(text)) errors.push(`${page.url()}: ${text}`);
    });
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on("requestfailed", (request) => {
      const url = request.url();
      const reason = request.failure()?.errorText;
      // ERR_ABORTED: the browser cancelled it because the page went elsewhere (a goto or a reload while a
      // fetch was in flight), nothing a user sees.
      if (reason === "net::ERR_ABORTED" || !url.startsWith(base) || expected(url)) return;
      errors.push(`${page.url()}: request failed ${url} ${reason}`);
    });
  }
  return { errors, watch };
}
