// Browser tests of the dyad web UI: headless Debian chromium driven by
// playwright-core, against `dyad serve --records` on a fixture written by
// fixture.mjs. Screenshots go to $ARTIFACTS (default: artifacts/browser).
// Timings are not tested here: bench/server/first-render.mjs measures them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";
import { smallRecords, writeJsonl } from "./fixture.mjs";

const BIN = process.env.DYAD_BIN || "dyad";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ART = process.env.ARTIFACTS || "artifacts/browser";
// "db": records loaded into a SQLite store (the default, as users run it);
// "records": served from memory.
const BACKEND = process.env.DYAD_UI_BACKEND || "db";
mkdirSync(ART, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "dyad-ui-"));
const servers = [];
let browser;
const offLoopback = [];

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); });
    s.on("error", rej);
  });
}

async function startServer(records) {
  const file = join(work, `records-${servers.length}.jsonl`);
  writeJsonl(file, records);
  const port = await freePort();
  const args = ["serve", "--records", file, "--addr", `127.0.0.1:${port}`];
  if (BACKEND === "db") args.push("--db", join(work, `store-${servers.length}.db`));
  const proc = spawn(BIN, args, { stdio: ["ignore", "inherit", "inherit"] });
  servers.push(proc);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + "/api/health")).ok) return base; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("dyad serve did not start");
}

async function newPage(base) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
  // Every request must stay on loopback: record and abort any other.
  await ctx.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "data:" || u.protocol === "blob:" || u.hostname === "127.0.0.1" || u.hostname === "localhost") {
      return route.continue();
    }
    offLoopback.push(u.href);
    return route.abort();
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  await page.goto(base + "/");
  await page.waitForSelector("body[data-ready]:not([data-ready=''])");
  return page;
}

async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready !== "");
}

// Clicks the event row whose type cell is `type` (and that mentions `who`).
async function clickEvent(page, type, who) {
  let rows = page.locator("#events tbody tr", { has: page.locator("td:nth-child(2)", { hasText: new RegExp("^" + type) }) });
  if (who) rows = rows.filter({ hasText: who });
  await rows.first().click();
}

const attr = (page, sel, name) => page.$eval(sel, (e, n) => e.dataset[n], name);

let small;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    // launch() gives every run a fresh temporary user-data-dir of its own.
  });
  small = await startServer(smallRecords());
});

after(async () => {
  if (browser) await browser.close();
  for (const s of servers) s.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
});

test("timeline, map and network render with the fixture's counts", async () => {
  const page = await newPage(small);
  assert.equal(await attr(page, "#events", "total"), "8");
  assert.equal(await page.$$eval("#events tbody tr", (r) => r.length), 8);
  assert.equal(await attr(page, "#timeline", "total"), "8");
  assert.equal(await attr(page, "#timeline", "days"), "4");
  assert.equal(await page.$$eval("#timeline canvas", (c) => c.length), 1);
  // Shaded countries: RUS SYR TUR USA UKR FRA; dots: 5 event places + Moscow (mentioned only).
  assert.equal(await attr(page, "#map", "countries"), "6");
  assert.equal(await attr(page, "#map", "places"), "6");
  assert.ok((await page.$$eval("#map path.country", (p) => p.length)) > 150, "world drawn");
  assert.equal(await attr(page, "#network", "nodes"), "8");
  assert.equal(await attr(page, "#network", "edges"), "7");
  assert.equal(await attr(page, "#network", "weight"), "8");
  assert.equal(await page.$$eval("#network canvas", (c) => c.length) > 0, true);
  await page.screenshot({ path: join(ART, "overview.png"), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test("filters change the timeline, map, network and list", async () => {
  const page = await newPage(small);
  await page.selectOption("select[name=type]", "ASSAULT");
  await page.click("#apply");
  await ready(page);
  assert.equal(await attr(page, "#events", "total"), "2");
  assert.equal(await attr(page, "#timeline", "total"), "2");
  assert.equal(await attr(page, "#map", "countries"), "1");
  assert.equal(await attr(page, "#map", "places"), "1");
  assert.equal(await attr(page, "#network", "nodes"), "2");
  assert.equal(await attr(page, "#network", "edges"), "2");
  await page.screenshot({ path: join(ART, "filter-assault.png"), fullPage: true });

  await page.click("#clear");
  await ready(page);
  await page.fill("input[name=actor]", "RUS");
  await page.click("#apply");
  await ready(page);
  assert.equal(await attr(page, "#events", "total"), "6");

  await page.fill("input[name=actor]", "");
  await page.fill("input[name=country]", "ukr");
  await page.click("#apply");
  await ready(page);
  assert.equal(await attr(page, "#events", "total"), "2");

  await page.fill("input[name=country]", "");
  await page.fill("input[name=from]", "2024-03-05");
  await page.fill("input[name=to]", "2024-03-07");
  await page.click("#apply");
  await ready(page);
  assert.equal(await attr(page, "#events", "total"), "5");
  assert.equal(await attr(page, "#timeline", "days"), "2");

  await page.fill("input[name=from]", "");
  await page.fill("input[name=to]", "");
  await page.fill("input[name=q]", "Kharkiv");
  await page.click("#apply");
  await ready(page);
  assert.equal(await attr(page, "#events", "total"), "2");
  assert.deepEqual(page.errors, []);
});

test("clicking an event opens the reader with evidence, actors and quotes highlighted", async () => {
  const page = await newPage(small);
  await clickEvent(page, "AID");
  await page.waitForSelector("#reader mark.evidence");
  assert.equal(await attr(page, "#reader", "doc"), "d1");
  const evidence = () => page.$$eval("#reader mark.evidence", (ms) => ms.map((m) => m.textContent).join(""));
  assert.equal(await evidence(),
    "Moscow also pledged fresh military aid to the government in Damascus.");
  const actors = await page.$$eval("#reader .actor", (s) => s.map((x) => x.textContent));
  assert.ok(actors.includes("Moscow") && actors.includes("government in Damascus"), JSON.stringify(actors));
  assert.equal(await page.$eval("#reader .text .quote", (q) => q.textContent), "We will stand by our partners,");
  await page.screenshot({ path: join(ART, "reader.png"), fullPage: true });

  // Offsets are code points: evidence after emoji (astral + variation selector) still lines up.
  await clickEvent(page, "DEMAND");
  await page.waitForFunction(() => document.querySelector("#reader")?.dataset.doc === "d5");
  assert.equal(await evidence(),
    "Officials in Syria demanded that Ankara withdraw its troops from the border.");
});

test("markup inside an article shows as text and never runs", async () => {
  const page = await newPage(small);
  await clickEvent(page, "CONSULT", "FRAGOV");
  await page.waitForFunction(() => document.querySelector("#reader")?.dataset.doc === "d4");
  const text = await page.$eval("#reader .text", (t) => t.textContent);
  assert.ok(text.includes("<script>window.__pwned = 1</script>"), text);
  assert.ok(text.includes("<img src=x onerror="), text);
  assert.equal(await page.$$eval("#reader script, #reader img, #reader b", (e) => e.length), 0);
  assert.equal(await page.$eval("#reader h3", (h) => h.textContent), "A page with markup <b>in the title</b>");
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.screenshot({ path: join(ART, "hostile-article.png"), fullPage: true });
});

test("assets come only from the embedded set", async () => {
  for (const p of ["/ui/../Cargo.toml", "/ui/%2e%2e/%2e%2e/Cargo.toml", "/ui/vendor/../../src/lib.rs", "/ui/..%2fCargo.toml", "/etc/passwd"]) {
    const r = await fetch(small + p);
    assert.equal(r.status, 404, p);
    assert.match(r.headers.get("content-type"), /application\/json/);
  }
  const ok = await fetch(small + "/ui/vendor/cytoscape.min.js");
  assert.equal(ok.status, 200);
});

test("no request left loopback", () => {
  assert.deepEqual(offLoopback, []);
});
