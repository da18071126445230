// First render of the web UI on a large store, in headless chromium:
// milliseconds from navigation start until the timeline, map and event
// list have drawn and the network panel shows its counts (the UI sets
// window.__dyadFirstRender), then until the network graph is drawn too
// (window.__dyadNetworkDrawn: Cytoscape loads after the first paint),
// plus the split of the UI's own refresh. Target: <= 1000 ms at 10,000 events.
// Each run is a fresh browser context (nothing cached in the browser); the
// first run is reported apart, as the server's answer cache is empty then.
//
//   node bench/server/first-render.mjs DYAD_BIN [EVENTS] [RUNS]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const browserDir = join(here, "../../crates/dyad-server/tests/browser");
const { chromium } = await import(pathToFileURL(join(browserDir, "node_modules/playwright-core/index.mjs")).href);
const { largeRecords, writeJsonl } = await import(pathToFileURL(join(browserDir, "fixture.mjs")).href);

const [bin, eventsArg, runsArg] = process.argv.slice(2);
const events = Number(eventsArg || 10000), runs = Number(runsArg || 5);
const backend = process.env.DYAD_UI_BACKEND || "db";
const work = mkdtempSync(join(tmpdir(), "dyad-render-"));
writeJsonl(join(work, "r.jsonl"), largeRecords(events));
const port = 20000 + Math.floor(Math.random() * 20000);
const args = ["serve", "--records", join(work, "r.jsonl"), "--addr", `127.0.0.1:${port}`];
if (backend === "db") args.push("--db", join(work, "s.db"));
const srv = spawn(bin, args, { stdio: ["ignore", "ignore", "inherit"] });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(base + "/api/health")).ok) break; } catch { /* starting */ }
    if (i > 600) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const all = [];
  for (let r = 0; r < runs; r++) {
    // A fresh context each run: nothing cached in the browser.
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    const page = await ctx.newPage();
    await page.goto(base + "/");
    await page.waitForSelector("body[data-ready]:not([data-ready=''])", { timeout: 120000 });
    const m = await page.evaluate(() => ({
      first: window.__dyadFirstRender,
      net: window.__dyadNetworkDrawn,
      dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
      parts: window.__dyadTimings,
    }));
    all.push(m);
    await ctx.close();
  }
  await browser.close();
  // The first run finds the server's answer cache empty (a fresh start or
  // a store that just changed); later runs reuse its answers.
  all.forEach((m, i) => console.log(`  run ${i + 1}${i === 0 ? " (server cache cold)" : ""}: first render ${m.first.toFixed(0)} ms, network drawn ${m.net.toFixed(0)} ms (DOMContentLoaded ${m.dcl.toFixed(0)} ms) ${JSON.stringify(m.parts)}`));
  const warm = all.slice(1).sort((a, b) => a.first - b.first);
  const med = (warm.length ? warm : all)[Math.floor((warm.length || 1) / 2)];
  const netMed = warm.map((m) => m.net).sort((a, b) => a - b)[Math.floor(warm.length / 2)] ?? all[0].net;
  console.log(`first render, ${events} events, ${backend} backend: cold server cache ${all[0].first.toFixed(0)} ms; ` +
    `warm, median of ${warm.length}: ${med.first.toFixed(0)} ms (target <= 1000 ms); ` +
    `network graph drawn: cold ${all[0].net.toFixed(0)} ms, warm median ${netMed.toFixed(0)} ms`);
} finally {
  srv.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
