// Figures of the web edition (make web-bench): printed, never asserted.
// A cold load from a plain static server, the first steppable scenario,
// Step → DOM over a whole scenario, `trace send-pop3` in the worker vs the
// native binary, and long tasks on the page's thread while a run plays.
//
// usage: node e2e/web-bench.mjs [path/to/native/maillab]

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDir, launchBrowser, newPage } from './browser.mjs';
import { serveStatic } from './static.mjs';

const webDir = resolve(buildDir, 'web');
const native = process.argv[2] ?? resolve(buildDir, 'maillab');
const targets = { bytes: 5e6, interactiveMs: 2500, stepMedianMs: 60, longTaskMs: 200 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const row = (what, value, target = '') => console.log(`  ${what.padEnd(46)} ${String(value).padStart(12)}  ${target}`);

const srv = await serveStatic(webDir);
const browser = await launchBrowser();
try {
  // 1. A cold load: a new profile, nothing cached.
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  const t0 = Date.now();
  await page.goto(srv.origin + '/');
  await page.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 60_000 });
  const interactive = Date.now() - t0;
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.getByTestId('position').filter({ hasText: /^Step 1 of 1$/ }).waitFor({ timeout: 30_000 });
  const firstStep = Date.now() - t0;
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForTimeout(1000); // the service worker's precache settles
  const bytes = srv.bytes();
  const wasmBytes = srv.log.filter((e) => e.path.startsWith('/maillab.wasm')).reduce((n, e) => n + e.bytes, 0);

  // 2. Step → DOM over all of send-pop3: from the key press to the new
  // position on screen, a press every 0.1–0.4 s as a person steps.
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor();
  const steps = await page.evaluate(async () => {
    document.activeElement?.blur();
    const pos = document.querySelector('[data-testid=position]');
    const app = document.querySelector('[data-testid=app]');
    const out = [];
    const changed = (before, limit) =>
      new Promise((res) => {
        const t = setTimeout(() => (obs.disconnect(), res(false)), limit);
        const obs = new MutationObserver(() => {
          if (pos.textContent !== before) {
            clearTimeout(t);
            obs.disconnect();
            requestAnimationFrame(() => res(true));
          }
        });
        obs.observe(pos, { childList: true, characterData: true, subtree: true });
      });
    while (app.getAttribute('data-finished') !== 'true') {
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
      const before = pos.textContent;
      const t = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', bubbles: true }));
      if (await changed(before, 2000)) out.push(performance.now() - t);
    }
    return out;
  });

  // 2b. Another scenario (a new world: servers, certificates) to its first line on screen.
  const switches = [];
  for (const id of ['tls', 'send-imap', 'tls']) {
    const t = Date.now();
    await page.getByTestId('scenario').selectOption(id);
    await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor();
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Space');
    await page.getByTestId('position').filter({ hasText: /^Step 1 of 1$/ }).waitFor({ timeout: 30_000 });
    switches.push(Date.now() - t);
  }

  // 3. Long tasks while a run plays at the fastest speed.
  await page.evaluate(() => (window.__longTasks = []));
  await page.getByTestId('scenario').selectOption('pop3-vs-imap');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor();
  await page.getByTestId('speed').fill('3000');
  await page.getByTestId('play').click();
  await page.waitForTimeout(15_000);
  await page.getByTestId('play').click();
  const longTasks = await page.evaluate(() => window.__longTasks);
  const played = await page.getByTestId('position').textContent();

  // 4. trace send-pop3 inside a worker of the page vs the native binary.
  const workerFile = readdirSync(resolve(webDir, 'assets')).find((f) => /^worker-.*\.js$/.test(f));
  const inWorker = [];
  for (let i = 0; i < 3; i++) {
    inWorker.push(
      await page.evaluate(
        async ([url, base]) => {
          const w = new Worker(url);
          const ready = new Promise((res, rej) => {
            w.onmessage = (e) => (e.data.ready ? res() : e.data.failed ? rej(new Error(e.data.failed.detail)) : undefined);
          });
          w.postMessage({ init: { base } });
          await ready;
          const reply = new Promise((res) => (w.onmessage = (e) => e.data.id === 1 && res(JSON.parse(e.data.json).result)));
          w.postMessage({ id: 1, cli: ['trace', 'send-pop3'] });
          const r = await reply;
          w.terminate();
          return r.ms;
        },
        [`${srv.origin}/assets/${workerFile}`, `${srv.origin}/`],
      ),
    );
  }
  const nativeMs = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    execFileSync(native, ['trace', 'send-pop3'], { stdio: 'ignore' });
    nativeMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  console.log('Web edition (build/web from a plain static server, headless Chromium, this machine):');
  row('cold load, transferred', mb(bytes), `target < ${mb(targets.bytes)}`);
  row('  of which maillab.wasm.gz', mb(wasmBytes));
  row('cold load to interactive (ms)', interactive, `target < ${targets.interactiveMs}`);
  row('cold load to the first line on screen (ms)', firstStep);
  row(`Step → DOM, send-pop3, ${steps.length} presses: median (ms)`, median(steps).toFixed(1), `target < ${targets.stepMedianMs}`);
  row('Step → DOM: worst (ms)', Math.max(...steps).toFixed(1));
  row('another scenario to its first line, median of 3 (ms)', median(switches));
  row('trace send-pop3 in the worker, median of 3 (ms)', median(inWorker).toFixed(0));
  row('trace send-pop3 native, median of 5 (ms, process)', median(nativeMs).toFixed(0));
  row(`long tasks while pop3-vs-imap plays 15 s (${played})`, longTasks.length);
  row('  longest (ms)', longTasks.length ? Math.max(...longTasks).toFixed(0) : 0, `target < ${targets.longTaskMs}`);
} finally {
  await browser.close();
  await srv.stop();
}
