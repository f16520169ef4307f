// Shared set-up for the browser tests: the outpost binary, a demo database, a running
// server and a headless Chromium (Debian's, never a downloaded one).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.OUTPOST_BIN || join(ROOT, 'target', 'debug', 'outpost');
export const ARTIFACTS = process.env.OUTPOST_ARTIFACTS || join(ROOT, 'artifacts', 'browser');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(ARTIFACTS, { recursive: true });

/** A temporary folder removed by the returned function. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Ingests the demo corpus and the given extra inputs into a new database; returns its path. */
export function demoDatabase(dir, extra = []) {
  const db = join(dir, 'demo.db');
  execFileSync(BIN, ['demo', '--no-serve', '--db', db], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (extra.length) {
    execFileSync(BIN, ['ingest', '--db', db, ...extra], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return db;
}

/** Starts `outpost serve` on a free loopback port; resolves to { url, stop }. */
export function startServer(db, args = []) {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(BIN, ['serve', '--db', db, '--addr', '127.0.0.1:0', ...args], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => { proc.kill(); reject(new Error('server did not start: ' + err)); }, 30000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      err += chunk;
      const m = err.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({
          url: `http://${m[1]}`,
          stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGINT'); }),
        });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

/** Launches headless Chromium with a fresh profile; resolves to a browser context. */
export async function launchBrowser(profileDir, options = {}) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 900 },
    ...options,
  });
}

/** Waits until the dashboard finished rendering the current address. */
export async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 15000 });
  await page.waitForFunction(() => !document.querySelector('.state.loading'), null, { timeout: 15000 });
}
