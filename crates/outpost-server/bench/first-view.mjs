// The dashboard's first view, timed in headless Chromium against a running server (the
// benchmark's: `bench serve`, see examples/bench.rs):
//   node crates/outpost-server/bench/first-view.mjs http://127.0.0.1:8711 [runs]
// Each run opens the dashboard in a fresh browser profile (nothing cached in the browser) and
// waits until the timeline, the map and the event table have rendered, as the browser tests'
// `ready` does. The first run also meets a cold server (no cached answers); later runs may
// be answered from the server's cache, as a second analyst's would be.
// Needs Debian's chromium (CHROMIUM, default /usr/bin/chromium) and playwright-core: from
// web/node_modules (`cd web && npm ci`) or wherever PLAYWRIGHT_CORE points (its index.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const where = process.env.PLAYWRIGHT_CORE
  || join(ROOT, 'web', 'node_modules', 'playwright-core', 'index.mjs');
const { chromium } = await import(pathToFileURL(where).href);

const url = process.argv[2] || 'http://127.0.0.1:8711';
const runs = Number(process.argv[3] || 5);
const times = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-first-view-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 900 },
  });
  try {
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(url + '/');
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30000 });
    await page.waitForFunction(() => !document.querySelector('.state.loading'), null, { timeout: 30000 });
    const ms = Date.now() - t0;
    const rows = await page.locator('#event-rows tr').count();
    const bars = await page.locator('#timeline g.bar').count();
    times.push(ms);
    console.log(`run ${i + 1}: first view in ${ms} ms (${bars} timeline bars, ${rows} table rows)`);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`first view: cold ${times[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`);
