// Browser side of the end-to-end tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), and small helpers that read
// the page the way a person does (position display, selected line, titles).

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const buildDir = resolve(here, '../../build');
const catalogDir = resolve(here, '../../lessons/i18n/catalog');

export const viewport = { width: 1280, height: 800 };
export const wait = { timeout: 30_000 };

/** launchBrowser starts /usr/bin/chromium headless; playwright gives it a fresh temporary profile (user-data dir). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * newPage opens a page in a context of its own (own storage: token, preferences).
 * Unless firstRun, the context is a returning user's: the welcome view was answered once.
 */
export async function newPage(browser, { firstRun = false, size = viewport } = {}) {
  const ctx = await browser.newContext({ viewport: size, locale: 'en-US', reducedMotion: 'no-preference' });
  if (!firstRun) {
    await ctx.addInitScript(() => {
      try {
        if (!localStorage.getItem('maillab.where')) localStorage.setItem('maillab.where', JSON.stringify({ welcomed: true }));
      } catch {
        // opaque origins have no storage
      }
    });
  }
  const page = await ctx.newPage();
  page.setDefaultTimeout(wait.timeout);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.errors = errors;
  return page;
}

/** until polls f until it gives something truthy and returns that; the test fails after timeout ms. */
export async function until(f, what, timeout = 120_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** openApp loads the UI and waits until it says it is ready (data-ready on the app). */
export async function openApp(page, url) {
  await page.goto(url);
  await page.locator('[data-testid=app][data-ready=true]').waitFor(wait);
}

export function catalog(lang) {
  return JSON.parse(readFileSync(resolve(catalogDir, `${lang}.json`), 'utf8'));
}

export const position = (page) => page.getByTestId('position').textContent();

/** selectedLine is the highlighted transcript line (the current one, or the one picked). */
export function selectedLine(page) {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid=transcript] [data-testid=line][aria-selected=true]');
    if (!el) return null;
    return {
      seq: Number(el.getAttribute('data-seq')),
      dir: el.querySelector('.dir')?.textContent ?? '',
      text: el.querySelector('.text')?.textContent ?? '',
      encrypted: !!el.querySelector('.lock'),
    };
  });
}

/** blur moves the focus off any control, so the keys reach the app's shortcuts. */
export const blur = (page) => page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));

/**
 * stepAtHead presses (a key or the button) once at the head of the run and
 * waits for what the person sees: the position moves on, or the status says
 * that no line waits. Returns true when a line was released.
 */
export async function stepAtHead(page, press) {
  const before = await position(page);
  const [resp] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/call/step'), wait), press()]);
  const body = await resp.json();
  assert.equal(resp.status(), 200, `step failed: ${JSON.stringify(body)}`);
  if (body.result === true) {
    await page.waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b, before, wait);
    return true;
  }
  await page.getByTestId('status').filter({ hasText: catalog('en')['ui.status.nothing-waits'] }).waitFor(wait);
  // The agents are still working towards their next line: give them a moment.
  await page
    .waitForFunction((b) => document.querySelector('[data-testid=position]')?.textContent !== b, before, { timeout: 250 })
    .catch(() => {});
  return false;
}

/** noPageScroll: the layout fits the window (no scroll bar on the page itself). */
export async function assertNoPageScroll(page) {
  const m = await page.evaluate(() => ({
    h: document.documentElement.scrollHeight,
    w: document.documentElement.scrollWidth,
    ih: innerHeight,
    iw: innerWidth,
  }));
  assert.ok(m.h <= m.ih, `page scrolls vertically: scrollHeight ${m.h} > innerHeight ${m.ih}`);
  assert.ok(m.w <= m.iw, `page scrolls horizontally: scrollWidth ${m.w} > innerWidth ${m.iw}`);
}

export async function screenshot(page, name) {
  mkdirSync(buildDir, { recursive: true });
  const path = resolve(buildDir, `e2e-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** sendMail hands a message to mx.example.net with Python's smtplib, as an external client would. */
export function sendMail(port, message, { from = 'eve@example.com', to = 'bob@example.net' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const py = spawn('python3', [resolve(here, 'sendmail.py'), String(port), from, to], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    py.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    py.on('error', reject);
    py.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`sendmail.py exited ${code}: ${err}`))));
    py.stdin.end(message.replace(/\r?\n/g, '\r\n'));
  });
}

/**
 * scanTranscript scrolls the (virtual) transcript from top to bottom, as a
 * reader would, and returns every line it showed: {seq, dir, text}.
 */
export function scanTranscript(page) {
  return page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid=transcript] [role=grid]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const seen = new Map();
    for (let top = 0; top <= scroller.scrollHeight; top += Math.max(20, scroller.clientHeight / 2)) {
      scroller.scrollTop = top;
      await frame();
      await frame();
      for (const el of scroller.querySelectorAll('[data-testid=line]')) {
        const seq = Number(el.getAttribute('data-seq'));
        seen.set(seq, { seq, dir: el.querySelector('.dir')?.textContent ?? '', text: el.querySelector('.text')?.textContent ?? '' });
      }
    }
    return [...seen.values()].sort((a, b) => a.seq - b.seq);
  });
}

/** revealLine scrolls the transcript until the line with this seq is on screen. */
export async function revealLine(page, seq) {
  const ok = await page.evaluate(async (seq) => {
    const scroller = document.querySelector('[data-testid=transcript] [role=grid]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    for (let top = 0; top <= scroller.scrollHeight; top += Math.max(20, scroller.clientHeight / 2)) {
      scroller.scrollTop = top;
      await frame();
      await frame();
      const el = scroller.querySelector(`[data-testid=line][data-seq="${seq}"]`);
      if (el) {
        el.scrollIntoView({ block: 'center' });
        // The list renders the rows for the new place in the next frames: wait for them.
        await frame();
        await frame();
        return true;
      }
    }
    return false;
  }, seq);
  assert.ok(ok, `line ${seq} is in the transcript`);
  return page.locator(`[data-testid=transcript] [data-testid=line][data-seq="${seq}"]`);
}

/** panelTitles reads the heading of each panel. */
export function panelTitles(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('section[data-testid]')].map((s) => [s.getAttribute('data-testid'), s.querySelector('h2')?.textContent]),
    ),
  );
}

export const panelKeys = {
  topology: 'ui.topology.title',
  mailboxes: 'ui.where.title',
  sequence: 'ui.sequence.title',
  transcript: 'ui.transcript.title',
  inspector: 'ui.inspector.title',
  message: 'ui.message.title',
};

/**
 * eventsSince reads the server's event log after seq since through the
 * read-only API, page by page (the API pages its answer: EventPage).
 */
export async function eventsSince(srv, since = 0) {
  const out = [];
  for (;;) {
    const res = await fetch(`${srv.origin}/api/call/events`, { method: 'POST', body: JSON.stringify({ args: [since] }) });
    assert.equal(res.status, 200);
    const { result } = await res.json();
    out.push(...result.events);
    if (!result.more || result.events.length === 0) return out;
    since = result.events[result.events.length - 1].seq;
  }
}

/**
 * stepCounter reads the server's event log (the read-only API) a piece at a
 * time and counts the stepped events the run has released.
 */
export function stepCounter(srv) {
  let since = 0;
  let steps = 0;
  return async () => {
    for (const e of await eventsSince(srv, since)) {
      since = Math.max(since, e.seq);
      // What the page counts as steps (isStepped): a skip marker where the recording left lines out is one too.
      if (e.kind === 'line' || e.kind === 'packet' || e.kind === 'action' || e.kind === 'skip') steps++;
    }
    return steps;
  };
}

/**
 * caughtUp waits until the server has stopped producing events and the page
 * shows all of them ("Step n of n"); returns n.
 */
export async function caughtUp(page, srv, timeout = 60_000) {
  const count = stepCounter(srv);
  let n = await count();
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const m = await count();
    if (m === n) break;
    n = m;
  }
  await page.getByTestId('position').filter({ hasText: new RegExp(`^Step ${n} of ${n}$`) }).waitFor({ timeout });
  return n;
}

// openSession starts `maillab serve` and a browser page: the setup every
// e2e file shares.
export async function openSession(pageOptions = {}) {
  const { startServe } = await import('./serve.mjs');
  const srv = await startServe();
  const browser = await launchBrowser();
  const page = await newPage(browser, pageOptions);
  return { srv, browser, page };
}

// closeSession closes the browser and checks the server exited cleanly.
export async function closeSession(srv, browser) {
  await browser?.close();
  const code = await srv?.stop();
  assert.equal(code, 0, `maillab serve did not exit cleanly:\n${srv?.output()}`);
}
