// Shared steps of the browser drivers: dropping files on the page's zone as a person would
// (a real drop event carrying File objects), waiting for their recognition, and the axe-core
// audit (pinned by package-lock.json) restricted to WCAG 2.1 A and AA rules.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

export const WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// Drags the files over `selector` and drops them there.
export async function dropFiles(page, selector, paths) {
  const files = paths.map((p) => ({ name: basename(p), b64: readFileSync(p).toString("base64") }));
  await page.evaluate(({ selector, files }) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    const zone = document.querySelector(selector);
    for (const type of ["dragenter", "dragover", "drop"]) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { selector, files });
}

/// Waits until `count` files are listed and none is still being read.
export async function waitListed(page, count) {
  await page.waitForFunction((n) => {
    const items = document.querySelectorAll("#liste > li");
    return items.length === n && [...items].every((li) => li.dataset.etat !== "attente");
  }, count, { timeout: 60000 });
}

/// What the list of dropped files shows.
export async function listed(page) {
  return page.$$eval("#liste > li", (items) => items.map((li) => ({
    kind: li.dataset.kind,
    etat: li.dataset.etat,
    classe: li.className,
    text: li.querySelector(".fichier-texte").innerText.replace(/\s+/g, " ").trim(),
  })));
}

/// axe-core's WCAG 2.1 A/AA violations on the page as it is now.
export async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary}`),
    }));
  }, WCAG21_AA);
}

/// Whether the page scrolls sideways at the current width.
export async function overflows(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/// The causes shown under `root`: title, rule code and the classes of its table.
export async function causesSeen(page, root) {
  return page.$$eval(`${root} ol.causes > li`, (items) => items.map((li) => {
    const dts = [...li.querySelectorAll("dl.todo dt")];
    const regle = dts.find((dt) => dt.textContent.trim() === "Règle");
    const code = regle && regle.nextElementSibling ? (regle.nextElementSibling.querySelector("code") || {}).textContent : null;
    const table = [...li.querySelectorAll("table")].find((t) => {
      const th = t.querySelector("thead th");
      return th && th.textContent.trim() === "Classe";
    });
    const classes = table ? [...table.querySelectorAll("tbody tr")].map((tr) => tr.cells[0].textContent.trim()) : [];
    return { title: li.querySelector("summary .title").textContent.trim(), code, classes };
  }));
}
