// The web edition (make web) as a student meets it: build/web served by a
// plain static server, the whole mail world running in a worker of the
// page. Load with progress, every scenario stepped to its last line, back
// and seek, the terminal, a language switch, a pcapng that tshark reads,
// a reload with the server gone; no request leaves the page's own origin,
// no page error. And the loader's clear errors for a badly copied site.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { blur, buildDir, catalog, launchBrowser, newPage, position, screenshot, selectedLine, wait } from './browser.mjs';
import { serveStatic } from './static.mjs';

const webDir = resolve(buildDir, 'web');
const en = catalog('en');
const de = catalog('de');

let srv;
let browser;
let page;
const foreign = [];

before(async () => {
  assert.ok(existsSync(resolve(webDir, 'index.html')), `no web edition in ${webDir}: run make web`);
  srv = await serveStatic(webDir);
  browser = await launchBrowser();
  page = await newPage(browser);
  // Anything not from the page's own origin is recorded and refused.
  await page.context().route(
    (url) => url.origin !== srv.origin && url.protocol !== 'blob:' && url.protocol !== 'data:',
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  page.context().on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin !== srv.origin && u.protocol !== 'blob:' && u.protocol !== 'data:') foreign.push(r.url());
  });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const ready = (p = page) => p.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 60_000 });
const finished = () => page.locator('[data-testid=app][data-finished=true]').count();

/** stepToTheEnd presses Space until the run says it has finished; returns the step count. */
async function stepToTheEnd(id) {
  await blur(page);
  const deadline = Date.now() + 120_000;
  while (!(await finished())) {
    assert.ok(Date.now() < deadline, `${id} did not finish within 120 s (at ${await position(page)})`);
    await page.keyboard.press('Space');
  }
  const m = /^Step (\d+) of (\d+)$/.exec(await position(page));
  assert.ok(m, `position of ${id}: ${await position(page)}`);
  assert.equal(m[1], m[2], `${id}: the view is at the last line`);
  return Number(m[2]);
}

async function startScenario(id) {
  const picker = page.getByTestId('scenario');
  if ((await picker.inputValue()) === id) await page.getByTestId('reset').click();
  else await picker.selectOption(id);
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await page.locator('[data-testid=app][data-finished=false]').waitFor(wait);
}

test('web: loads from its own files with progress, runs in this browser', async () => {
  const phases = [];
  await page.exposeFunction('__phase', (p, text) => phases.push(`${p}: ${text}`));
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid=web-loading]');
      if (el) window.__phase(el.getAttribute('data-phase'), el.querySelector('[data-testid=web-load-text]')?.textContent ?? '');
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.goto(srv.origin + '/');
  await ready();
  assert.ok(phases.some((p) => /^loading: [\d.]+ MB of [\d.]+ MB loaded$/.test(p)), `progress in bytes: ${phases.join(' | ')}`);
  assert.equal(await page.getByTestId('web-loading').count(), 0, 'the loading screen is gone');
  assert.equal(await page.getByTestId('transport').textContent(), en['ui.web.transport']);
  assert.ok(srv.log.some((e) => e.path === '/maillab.wasm.gz' && e.status === 200), 'the compressed module was fetched');
  assert.ok(!srv.log.some((e) => e.path === '/maillab.wasm'), 'not the plain one as well');
  assert.ok(!srv.log.some((e) => e.path.startsWith('/api/')), 'no API: nothing but static files');
  assert.deepEqual(page.errors, []);
});

test('web: every scenario, stepped to its last line', async () => {
  const ids = await page.getByTestId('scenario').locator('optgroup').last().locator('option').evaluateAll((os) => os.map((o) => o.value));
  const scripted = ids.filter((id) => id !== 'live');
  assert.ok(scripted.length >= 13, `scenarios: ${ids}`);
  for (const id of scripted) {
    await startScenario(id);
    const steps = await stepToTheEnd(id);
    assert.ok(steps > 10, `${id} has ${steps} steps`);
    const last = await selectedLine(page);
    assert.ok(last, `${id}: the last line is selected in the transcript`);
  }
  await screenshot(page, 'web-last-scenario');
  // The topology's labels, searched in a worker of their own (its file comes with the page).
  await page.locator('[data-testid=topology] svg.topology[data-labels=ready]').waitFor(wait);
  assert.equal(await page.locator('[data-testid=topology] svg.topology').getAttribute('data-labels-in'), 'worker');
  assert.ok((await page.locator('[data-testid=topology] .elabel').count()) > 0, 'the topology labels its edges');
  assert.deepEqual(page.errors, []);
});

test('web: back and seek through a finished run', async () => {
  await startScenario('send-pop3');
  const total = await stepToTheEnd('send-pop3');
  await blur(page);
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('position').filter({ hasText: `Step ${total - 1} of ${total} · ${en['ui.controls.history']}` }).waitFor(wait);
  await page.getByTestId('scrubber').fill('3');
  await page.getByTestId('position').filter({ hasText: `Step 3 of ${total} · ${en['ui.controls.history']}` }).waitFor(wait);
  const third = await selectedLine(page);
  assert.equal(third.seq > 0, true);
  assert.match(third.text, /^EHLO /, 'step 3 is the EHLO');
  await blur(page);
  await page.keyboard.press('End');
  await page.getByTestId('position').filter({ hasText: new RegExp(`^Step ${total} of ${total}$`) }).waitFor(wait);
});

test('web: the terminal types EHLO into the in-page MX', async () => {
  await blur(page);
  await page.keyboard.press('t');
  await page.getByTestId('terminal-target').selectOption('mx.example.net:25');
  await page.getByTestId('terminal-connect').click();
  const input = page.locator('[data-testid=terminal-input]:not([disabled])');
  await input.waitFor(wait);
  // In a step-mode run the terminal's lines wait at the gate like every
  // line: Step lets them through until the answer shows.
  const received = async (re) => {
    const shown = () =>
      page.evaluate(
        (src) =>
          [...document.querySelectorAll('[data-testid=terminal-line][data-kind=received]')].some((r) =>
            new RegExp(src).test(r.querySelector('.text')?.textContent ?? ''),
          ),
        re.source,
      );
    const deadline = Date.now() + 30_000;
    while (!(await shown())) {
      assert.ok(Date.now() < deadline, `no line ${re} in the terminal`);
      await page.getByTestId('step').click();
      await page.waitForTimeout(50);
    }
  };
  await received(/^220 mx\.example\.net /);
  await input.fill('EHLO student.example');
  await input.press('Enter');
  await received(/^250-mx\.example\.net/);
  await screenshot(page, 'web-terminal');
  await page.getByTestId('terminal-close').click();
  assert.deepEqual(page.errors, []);
});

test('web: lesson 13 in the live world: a mail typed by hand reaches Bob, and the exercise says so', async () => {
  await page.getByTestId('scenario').selectOption('lesson:smtp-by-hand');
  await page.getByText(en['ui.sequence.empty-live-web']).waitFor(wait);
  await page.getByTestId('exercise-terminal').click();
  await page.getByTestId('terminal-target').selectOption('mx.example.net:25');
  await page.getByTestId('terminal-connect').click();
  const input = page.locator('[data-testid=terminal-input]:not([disabled])');
  await input.waitFor(wait);
  // The live world releases every line at once: no Step needed.
  const received = (re) =>
    page.waitForFunction(
      (src) =>
        [...document.querySelectorAll('[data-testid=terminal-line][data-kind=received]')].some((r) =>
          new RegExp(src).test(r.querySelector('.text')?.textContent ?? ''),
        ),
      re.source,
      wait,
    );
  await received(/^220 mx\.example\.net /);
  const talk = [
    ['EHLO student.example.com', /^250 SIZE /],
    ['MAIL FROM:<student@example.com>', /^250 .*student@example\.com/],
    ['RCPT TO:<bob@example.net>', /^250 .*bob@example\.net/],
    ['DATA', /^354 /],
    ['From: Student <student@example.com>'],
    ['To: Bob <bob@example.net>'],
    ['Subject: Typed in the web edition'],
    [''],
    ['Hello Bob, this mail never left my browser.'],
    ['.', /^250 .*delivered/],
    ['QUIT', /^221 /],
  ];
  const sent = () => page.locator('[data-testid=terminal-line][data-kind=sent]').count();
  for (const [line, re] of talk) {
    // Wait for each line to be sent before typing the next: the input is
    // cleared when the send completes, and would take a fast next line with it.
    const before = await sent();
    await input.fill(line);
    await input.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=terminal-line][data-kind=sent]').length > n, before, wait);
    if (re) await received(re);
  }
  await page.getByTestId('terminal-close').click();
  await page.getByTestId('exercise-check').click();
  await page.locator('[data-testid=exercise-verdict][data-tone=done]').waitFor(wait);
  await screenshot(page, 'web-exercise');
  assert.deepEqual(page.errors, []);
});

test('web: the language switch reaches the interface and the status line', async () => {
  await page.getByTestId('lang-de').click();
  await page.getByTestId('transport').filter({ hasText: de['ui.web.transport'] }).waitFor(wait);
  assert.match(await page.getByTestId('step').textContent(), new RegExp(de['ui.controls.step']));
  await blur(page);
  await page.keyboard.press('c');
  await page.getByTestId('connect-web').filter({ hasText: de['ui.web.needs-desktop'] }).waitFor(wait);
  const href = await page.getByTestId('connect-downloads').getAttribute('href');
  const readme = await (await fetch(new URL(href, srv.origin + '/'))).text();
  assert.ok(readme.includes('id="get-maillab"'), 'the downloads link lands on the README section');
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-en').click();
  await page.getByTestId('transport').filter({ hasText: en['ui.web.transport'] }).waitFor(wait);
});

test('web: a pcapng download that tshark reads', async () => {
  await startScenario('send-pop3');
  await stepToTheEnd('send-pop3');
  await blur(page);
  await page.keyboard.press('e');
  const save = async (kind, { keys = false, lang } = {}) => {
    await page.getByTestId(`export-kind-${kind}`).check();
    if (lang) await page.getByTestId('export-lang').selectOption(lang);
    if (kind === 'pcapng') await page.getByTestId('export-keys').setChecked(keys);
    const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByTestId('export-save').click()]);
    return { name: download.suggestedFilename(), path: await download.path() };
  };
  const text = await save('text');
  assert.match(text.name, /^maillab-send-pop3-\d{8}-\d{6}\.txt$/);
  const txt = readFileSync(text.path, 'utf8');
  assert.ok(txt.includes('C: [TLS] AUTH PLAIN ********'), 'the password stays hidden');
  const md = readFileSync((await save('markdown', { lang: 'pl' })).path, 'utf8');
  assert.ok(md.includes('| `220 smtp.example.org ESMTP Service Ready` | 220'), 'the Markdown table, explained');
  const keyed = await save('pcapng', { keys: true });
  assert.ok(readFileSync(keyed.path).includes('CLIENT_TRAFFIC_SECRET_0'), 'the TLS key log is inside');
  const cap = await save('pcapng');
  assert.match(cap.name, /^maillab-send-pop3-\d{8}-\d{6}\.pcapng$/);
  const file = cap.path;
  const data = readFileSync(file);
  assert.deepEqual(data.subarray(0, 4), Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]), 'a pcapng Section Header Block');
  const out = execFileSync('tshark', ['-r', file, '-Y', 'smtp.req.command || pop.request.command', '-T', 'fields', '-e', 'smtp.req.command', '-e', 'pop.request.command'], {
    encoding: 'utf8',
  });
  assert.match(out, /EHLO/, 'tshark finds the SMTP commands');
  assert.match(out, /USER|STAT|RETR|CAPA|STLS/, 'and the POP3 ones');
  assert.ok(!data.includes('CLIENT_TRAFFIC_SECRET_0'), 'no keys unless asked');
  const auth = (f) => execFileSync('tshark', ['-r', f, '-Y', 'smtp.req.command == "AUTH"'], { encoding: 'utf8' }).trim();
  assert.equal(auth(file), '', 'without keys the AUTH inside TLS stays hidden');
  assert.notEqual(auth(keyed.path), '', 'with keys tshark decrypts the AUTH');
  await page.getByTestId('export-close').click();
  assert.deepEqual(page.errors, []);
});

test('web: no request left the page, and a reload works with the server gone', async () => {
  assert.deepEqual(foreign, [], 'requests outside the page origin');
  // The service worker has the site by now; the worker keeps the module.
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null || navigator.serviceWorker?.ready, null, wait);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // What Chrome checks before it offers "Install Maillab".
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito profiles, which never install: that one is the browser's, not ours.
  assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), [], 'installable as an app');
  const { url: manifestUrl, errors } = await cdp.send('Page.getAppManifest');
  assert.equal(new URL(manifestUrl).pathname, '/manifest.webmanifest');
  assert.deepEqual(errors, []);
  await srv.stop();
  await page.reload();
  await ready();
  await startScenario('relay-denied');
  await stepToTheEnd('relay-denied');
  await screenshot(page, 'web-offline');
  // Offline too, the labels' worker comes from the service worker's cache.
  await page.locator('[data-testid=topology] svg.topology[data-labels=ready]').waitFor(wait);
  assert.equal(await page.locator('[data-testid=topology] svg.topology').getAttribute('data-labels-in'), 'worker');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(foreign, []);
});

test('web: a badly copied site gets a clear sentence, not a blank page', async () => {
  // maillab.wasm.gz missing and maillab.wasm answered with an HTML page.
  const bad = await serveStatic(webDir, {
    overrides: {
      '/maillab.wasm.gz': { status: 404, type: 'text/html', body: '<h1>Not found</h1>' },
      '/maillab.wasm': { status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><h1>Welcome to our school</h1>' },
    },
  });
  // A German browser: the sentence comes in German before any catalog could load.
  const ctx = await browser.newContext({ locale: 'de-DE' });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  try {
    await p.goto(bad.origin + '/');
    const box = p.locator('[data-testid=web-loading][data-phase=failed]');
    await box.waitFor(wait);
    assert.equal(await box.locator('h1').textContent(), de['ui.web.error.title']);
    const text = await p.getByTestId('web-load-text').textContent();
    assert.equal(text, de['ui.web.error.not-wasm'].replace('{detail}', 'text/html'));
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await bad.stop();
  }
});

test('web: a server without the .gz and with the wrong MIME type still works', async () => {
  const plain = await serveStatic(webDir, {
    overrides: { '/maillab.wasm.gz': { status: 404, type: 'text/html', body: 'gone' } },
    types: { '.wasm': 'application/octet-stream' },
  });
  const p = await newPage(browser);
  try {
    await p.goto(plain.origin + '/');
    await ready(p);
    assert.ok(plain.log.some((e) => e.path === '/maillab.wasm' && e.status === 200), 'the plain module was the fallback');
    assert.deepEqual(p.errors, []);
  } finally {
    await p.context().close();
    await plain.stop();
  }
});

test('web: a new version on the server is offered with a reload button', async () => {
  const overrides = {};
  const site = await serveStatic(webDir, { overrides });
  const p = await newPage(browser);
  try {
    await p.goto(site.origin + '/');
    await ready(p);
    await p.evaluate(() => navigator.serviceWorker.ready); // the first build's worker is active
    // The next build: a different service worker script at the same address.
    const sw = readFileSync(resolve(webDir, 'sw.js'), 'utf8');
    overrides['/sw.js'] = { type: 'text/javascript', body: sw + '\n// the next build\n' };
    await p.reload();
    await ready(p);
    const note = p.getByTestId('web-update');
    await note.waitFor(wait);
    assert.match(await note.textContent(), new RegExp(en['ui.web.update.ready']));
    await Promise.all([p.waitForEvent('load', wait), note.getByRole('button', { name: en['ui.web.update.reload'] }).click()]);
    await ready(p);
    assert.equal(await p.getByTestId('web-update').count(), 0, 'the new version runs, nothing more to offer');
    assert.deepEqual(p.errors, []);
  } finally {
    await p.context().close();
    await site.stop();
  }
});
