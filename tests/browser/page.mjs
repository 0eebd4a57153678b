// The web page as a school secretary uses it, in Debian's Chromium: drop every file in the one
// zone, read what was recognised, set a class's evaluation mode in the LSU settings form, check
// twice, download what the form produced; axe-core audits at each step, screenshots at desktop,
// 200 % zoom and phone widths. Prints what was seen as JSON; tests/browser.rs asserts on it.
// Usage: node page.mjs <config.json>
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { audit, causesSeen, dropFiles, listed, overflows, waitListed } from "./lib.mjs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: cfg.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = { errors: [], audits: {}, overflow: {}, shots: [] };

const DESKTOP = { width: 1280, height: 900 };
// A 1280-pixel window zoomed to 200 % lays the page out in 640 CSS pixels.
const ZOOM200 = { width: 640, height: 450 };
const PHONE = { width: 320, height: 640 };

/// Screenshots at the three widths, and whether any of them scrolls sideways.
async function shots(page, name) {
  for (const [suffix, size] of [["bureau", DESKTOP], ["zoom200", ZOOM200], ["telephone", PHONE]]) {
    await page.setViewportSize(size);
    out.overflow[`${name}-${suffix}`] = await overflows(page);
    const path = `${cfg.out}/${name}-${suffix}.png`;
    await page.screenshot({ path, fullPage: true });
    out.shots.push(path);
  }
  await page.setViewportSize(DESKTOP);
}

async function check(page) {
  await page.click("#verifier");
  await page.waitForSelector("#resultats:not([hidden]) #rapport ol.causes > li", { timeout: 60000 });
  return {
    causes: await causesSeen(page, "#rapport"),
    focus: await page.evaluate(() => document.activeElement && document.activeElement.id),
    status: await page.innerText("#statut"),
  };
}

try {
  const ctx = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: "fr-FR" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => out.errors.push(`page: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") out.errors.push(`console: ${m.text()}`); });
  await page.goto(cfg.server);
  await page.waitForSelector("#famille-P", { state: "attached", timeout: 20000 });
  out.lang = await page.getAttribute("html", "lang");
  out.audits.empty = await audit(page);
  out.emptyText = await page.innerText("body");

  // Keyboard only: Tab reaches the zone's button with a visible focus ring.
  const stops = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      const s = getComputedStyle(a);
      return { id: a.id, tag: a.tagName, outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
    });
    stops.push(f);
    if (f.id === "choisir") break;
  }
  out.keyboard = { stops };
  await shots(page, "depot-vide");

  // 1. Everything in the one zone, plus a file that is not one of ours.
  await dropFiles(page, "#zone", [...cfg.drop, cfg.stranger]);
  await waitListed(page, cfg.drop.length + 1);
  out.files = await listed(page);
  out.afterDropStatus = await page.innerText("#statut");
  // The stranger goes away with the keyboard: its « Retirer » button, Enter.
  const strangerButton = page.locator("#liste > li").last().locator("button");
  await strangerButton.focus();
  await page.keyboard.press("Enter");
  await waitListed(page, cfg.drop.length);
  out.keyboard.afterRemoval = await page.evaluate(() => ({
    focused: document.activeElement.getAttribute("data-retirer") !== null || document.activeElement.id === "choisir",
    status: document.getElementById("statut").innerText,
  }));

  // 2. The LSU settings form: LSU's defaults, whatever the export says.
  out.form = await page.$$eval("#classes-2d select", (ss) => ss.map((s) => ({
    classe: s.dataset.classe,
    reglage: s.dataset.reglage,
    value: s.value,
    label: s.labels[0] ? s.labels[0].textContent : "",
    legend: s.closest("fieldset").querySelector("legend").textContent,
  })));
  out.audits.dropped = await audit(page);
  // Every control of the filled page, in tab order: each shows where the focus is.
  // A click on the title puts the start of the tab sequence at the top of the page.
  await page.click("h1");
  const seenStops = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      const s = getComputedStyle(a);
      return { what: `${a.tagName}#${a.id}${a.dataset.retirer ? "/retirer" : ""}`, outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
    });
    if (f.what.startsWith("BODY")) break;
    seenStops.push(f);
  }
  out.keyboard.filled = seenStops;
  await shots(page, "depot-fichiers");

  out.advanced = { closed: await page.evaluate(() => !document.getElementById("avance").open) };
  await page.click("#avance > summary");
  out.advanced.text = await page.innerText("#avance");
  await page.fill("#today", cfg.today);
  out.before = await check(page);

  // The class is set to positionnement in LSU: say so in the form, check again.
  await page.selectOption(`select[data-classe="${cfg.classe}"][data-reglage="positionnement"]`, cfg.positionnement);
  out.resultsClearedOnChange = await page.evaluate(() => document.getElementById("resultats").hidden);
  out.after = await check(page);
  // Open the first cause, as a reader would, before the audit and the screenshots.
  await page.locator("#rapport ol.causes > li").first().locator("summary").click();
  out.audits.results = await audit(page);
  await shots(page, "depot-resultats");

  // What the form sent, as the file « Enregistrer ces réglages » writes.
  const dl = page.waitForEvent("download");
  await page.click("#enregistrer-reglages");
  out.settingsToml = readFileSync(await (await dl).path(), "utf8");

  // The HTML report download is the report the check answered.
  const dl2 = page.waitForEvent("download");
  await page.click("#dl-html");
  const report = await dl2;
  out.reportDownload = { name: report.suggestedFilename(), html: readFileSync(await report.path(), "utf8").slice(0, 2000) };

  // The other downloads: the corrected export, the split files, the JSON results.
  out.downloads = {};
  for (const id of ["dl-corrige", "dl-decoupe", "dl-json"]) {
    const wait = page.waitForEvent("download", { timeout: 60000 });
    await page.click(`#${id}`);
    const d = await wait;
    const bytes = readFileSync(await d.path());
    out.downloads[id] = { name: d.suggestedFilename(), size: bytes.length, head: bytes.subarray(0, 2).toString("latin1"), text: id === "dl-decoupe" ? "" : bytes.toString("utf8") };
  }

  // 3. An école: period dates and teachers as typed (apostrophes, quotes, accents).
  const p1 = await ctx.newPage();
  p1.on("pageerror", (e) => out.errors.push(`école: ${e.message}`));
  await p1.goto(cfg.server);
  await dropFiles(p1, "#zone", cfg.ecole);
  await waitListed(p1, cfg.ecole.length);
  out.ecoleFiles = await listed(p1);
  out.ecoleForm = {
    legends: await p1.$$eval("#classes-1d legend", (ls) => ls.map((l) => l.textContent)),
    periodes: await p1.$$eval("#periodes-liste .periode:not([hidden]) input", (is) => is.map((i) => i.value)),
  };
  await p1.fill("#debut-1", cfg.periode1[0]);
  await p1.fill("#fin-1", cfg.periode1[1]);
  for (const t of cfg.teachers) {
    await p1.click("#ajouter-personne");
    const row = p1.locator("#personnes .personne").last();
    await row.locator("select").selectOption(t.civilite);
    await row.locator("[data-personne=nom]").fill(t.nom);
    await row.locator("[data-personne=prenom]").fill(t.prenom);
  }
  out.audits.ecole = await audit(p1);
  await shots(p1, "depot-ecole");
  const dl3 = p1.waitForEvent("download");
  await p1.click("#enregistrer-reglages");
  out.ecoleToml = readFileSync(await (await dl3).path(), "utf8");
} catch (e) {
  out.errors.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
