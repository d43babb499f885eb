// Exports in the browser: send-pop3 played to its end, then the Export
// dialog saves the transcript as text and Markdown and the capture as
// pcapng (downloads fetched with the token in a header, never in a URL);
// a viewer may export too, but without passwords and TLS keys.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { blur, catalog, closeSession, eventsSince, newPage, openApp, openSession, wait } from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

/** finished asks the read-only API whether the run has reached its end. */
async function finished() {
  return (await eventsSince(srv, 0)).some((e) => e.code === 'state.run-finished');
}

/** runInfo asks the read-only API how the run releases its lines (mode, interval). */
async function runInfo() {
  const res = await fetch(`${srv.origin}/api/call/run`, { method: 'POST' });
  const { result } = await res.json();
  return result ?? {};
}

async function playToTheEnd() {
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  const play = page.getByTestId('play');
  const speed = page.getByTestId('speed');
  const deadline = Date.now() + 90_000;
  while (!(await finished())) {
    assert.ok(Date.now() < deadline, 'send-pop3 did not finish within 90 s');
    // The run's start announcement may arrive after a click and reset the
    // speed or reach the run it replaced: check what the server does and
    // press again until it plays at the fastest speed (100 ms per line).
    const info = await runInfo();
    if (info.mode === 'step') {
      if ((await play.getAttribute('aria-pressed')) === 'true') await play.click();
      await speed.fill('3000');
      await play.click();
    } else if (info.interval > 100) {
      await speed.fill('2900');
      await speed.fill('3000');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if ((await play.getAttribute('aria-pressed')) === 'true') await play.click(); // pause again
}

/** save picks a format in the open dialog, clicks Save and returns the download's name and bytes. */
async function save(p, kind, { lang, keys } = {}) {
  await p.getByTestId(`export-kind-${kind}`).check();
  if (lang) await p.getByTestId('export-lang').selectOption(lang);
  if (keys !== undefined) await p.getByTestId('export-keys').setChecked(keys);
  const [download] = await Promise.all([p.waitForEvent('download', wait), p.getByTestId('export-save').click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), data: await readFile(path) };
}

const pcapngMagic = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]);

test('export: text, Markdown and pcapng of a finished run', async () => {
  const en = catalog('en');
  const de = catalog('de');
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await openApp(page, srv.controlUrl);
  await playToTheEnd();

  await blur(page);
  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  assert.equal(await dialog.locator('h2').textContent(), en['ui.export.title']);

  const text = await save(page, 'text');
  assert.match(text.name, /^maillab-send-pop3-\d{8}-\d{6}\.txt$/);
  const txt = text.data.toString('utf8');
  assert.ok(txt.startsWith('Maillab transcript: '), txt.slice(0, 80));
  assert.ok(txt.includes('C: [TLS] AUTH PLAIN ********'), 'the password stays hidden');
  assert.ok(!txt.includes('AGFsaWNl'), 'no base64 of the credentials');
  assert.match(txt, /\n {5}# 220: /, 'every line explained');
  await page.getByTestId('export-status').filter({ hasText: text.name }).waitFor(wait);

  const md = await save(page, 'markdown', { lang: 'de' });
  assert.match(md.name, /^maillab-send-pop3-\d{8}-\d{6}\.md$/);
  const markdown = md.data.toString('utf8');
  const header = ['step', 'time', 'dir', 'line', 'meaning'].map((c) => de[`export.col.${c}`]).join(' | ');
  assert.ok(markdown.includes(`| ${header} |`), 'German table header');
  assert.ok(markdown.includes('| `220 smtp.example.org ESMTP Service Ready` | 220: '), 'the greeting and its explanation');
  assert.ok(markdown.includes('(RFC 5321 §'), 'RFC references');
  assert.ok(markdown.includes('`AUTH PLAIN ********`'));

  await page.getByTestId('export-kind-pcapng').check();
  await page.getByTestId('export-wireshark').waitFor(wait);
  await page.getByTestId('export-keys').check();
  assert.equal(await page.getByTestId('export-secrets').isChecked(), true, 'keys imply secrets');
  await page.screenshot({ path: '/tmp/export.png' });
  const cap = await save(page, 'pcapng');
  assert.match(cap.name, /^maillab-send-pop3-\d{8}-\d{6}\.pcapng$/);
  assert.deepEqual(cap.data.subarray(0, 4), pcapngMagic, 'a pcapng Section Header Block');
  assert.ok(cap.data.includes('CLIENT_TRAFFIC_SECRET_0'), 'the TLS key log is inside');

  assert.ok(urls.some((u) => /\/api\/export\/pcapng\?lang=\w+&keys=1&secrets=1$/.test(u)), 'the download route');
  assert.ok(!urls.some((u) => u.includes('/api/export/') && u.includes('token')), 'no token in a download URL');
  await page.getByTestId('export-close').click();
  await dialog.waitFor({ state: 'hidden', ...wait });
  assert.deepEqual(page.errors, []);
});

test('export: a viewer saves without passwords and keys', async () => {
  const viewer = await newPage(browser);
  await openApp(viewer, srv.viewerUrl);
  await viewer.getByTestId('export-open').click();
  await viewer.getByTestId('export-viewer').waitFor(wait);
  await viewer.getByTestId('export-kind-pcapng').check();
  assert.equal(await viewer.getByTestId('export-keys').isDisabled(), true);
  assert.equal(await viewer.getByTestId('export-secrets').isDisabled(), true);
  const cap = await save(viewer, 'pcapng');
  assert.deepEqual(cap.data.subarray(0, 4), pcapngMagic);
  assert.ok(!cap.data.includes('CLIENT_TRAFFIC_SECRET_0'), 'no keys for viewers');
  const md = await save(viewer, 'markdown');
  assert.ok(md.data.toString('utf8').includes('`AUTH PLAIN ********`'));
  // The route itself refuses a viewer who asks for more.
  const res = await fetch(`${srv.origin}/api/export/text?secrets=1`);
  assert.equal(res.status, 403);
  assert.deepEqual(viewer.errors, []);
});
