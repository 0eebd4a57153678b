// Drives Debian's Chromium (playwright-core, no downloaded browser) over lsu-lint's HTML report
// and web page, and prints what a person sees as JSON on stdout; tests/browser.rs asserts on it.
// Usage: node drive.mjs <config.json>
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { dropFiles, waitListed } from "./lib.mjs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: cfg.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { report: null, page: null, errors: [] };

async function causes(page, root) {
  return page.$$eval(`${root} ol.causes > li summary .title`, (els) => els.map((e) => e.textContent.trim()));
}

/// Opens the first cause and says what became visible.
async function expandFirst(page, root) {
  const summary = page.locator(`${root} ol.causes > li`).first().locator("summary");
  await summary.click();
  const li = page.locator(`${root} ol.causes > li`).first();
  return {
    open: await li.locator("details").evaluate((d) => d.open),
    todoVisible: await li.locator("dl.todo").isVisible(),
    findingsRows: await li.locator("table tbody tr").count(),
    text: (await li.innerText()).slice(0, 4000),
  };
}

try {
  // 1. The HTML report, as a helpdesk would open the file it received.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => out.errors.push(`report: ${e.message}`));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) out.errors.push(`report fetched ${r.url()}`); });
  await page.goto(`file://${cfg.report}`);
  const titles = await causes(page, "main");
  const expanded = await expandFirst(page, "main");
  await page.screenshot({ path: `${cfg.out}/rapport.png`, fullPage: true });
  out.report = { titles, expanded, lang: await page.getAttribute("html", "lang"), text: await page.innerText("body") };

  // 2. The web page's results after dropping the demo collège's files.
  if (cfg.server) {
    const p2 = await ctx.newPage();
    p2.on("pageerror", (e) => out.errors.push(`page: ${e.message}`));
    // Listening from the start turns the interception of the file picker on before it opens
    // (waitForEvent just before the key press races with it).
    let chosen;
    const chooser = new Promise((resolve) => { chosen = resolve; });
    p2.on("filechooser", (c) => chosen(c));
    await p2.goto(cfg.server);
    // Everything in the one drop zone…
    await dropFiles(p2, "#zone", cfg.drop);
    await waitListed(p2, cfg.drop.length);
    // …and the LSU settings file through the picker, opened from the keyboard only.
    let tabs = 0;
    while (tabs < 30 && !(await p2.evaluate(() => document.activeElement && document.activeElement.id === "choisir"))) {
      await p2.keyboard.press("Tab");
      tabs++;
    }
    await p2.keyboard.press("Enter");
    let timer;
    const timeout = new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error("the file picker did not open from the keyboard")), 10000);
    });
    const picker = await Promise.race([chooser, timeout]);
    clearTimeout(timer);
    await picker.setFiles(cfg.picker);
    await waitListed(p2, cfg.drop.length + cfg.picker.length);
    if (cfg.today) {
      await p2.click("#avance > summary");
      await p2.fill("#today", cfg.today);
    }
    await p2.click("#verifier");
    await p2.waitForSelector("#rapport ol.causes > li", { timeout: 60000 });
    const t2 = await causes(p2, "#rapport");
    const e2 = await expandFirst(p2, "#rapport");
    await p2.screenshot({ path: `${cfg.out}/page-resultats.png`, fullPage: true });
    out.page = { titles: t2, expanded: e2, text: await p2.innerText("body") };
  }
} catch (e) {
  out.errors.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
