// What the browser journeys check on every page they open: axe-core finds no serious or critical
// violation, and a full-page screenshot is saved for a person to look at.
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
