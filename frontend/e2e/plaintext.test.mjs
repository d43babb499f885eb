// The plaintext-password scenario in the browser: the AUTH PLAIN sent
// without TLS, revealed, shows what its base64 says (user and password) and
// that it crossed the wire readable; the AUTH PLAIN after STARTTLS shows
// only TLS records on the wire.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSession, openSession } from './browser.mjs';
import { blur, catalog, openApp, screenshot, selectedLine, stepAtHead, wait } from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

/** stepUntil presses Space until the current line matches want; returns it. */
async function stepUntil(want, what) {
  for (let presses = 0; presses < 400; presses++) {
    await blur(page);
    if (!(await stepAtHead(page, () => page.keyboard.press(' ')))) continue;
    const line = await selectedLine(page);
    if (line && want(line)) return line;
  }
  assert.fail(`never reached ${what}`);
}

const text = (id) => page.getByTestId('inspector').getByTestId(id).textContent();

test('plaintext-password: base64 is no protection, TLS is', async () => {
  const en = catalog('en');
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('plaintext-password');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);

  const plain = await stepUntil((l) => /^AUTH PLAIN /.test(l.text) && !l.encrypted, 'AUTH PLAIN without TLS');
  const insp = page.getByTestId('inspector');
  // Hidden until revealed: nothing decoded yet.
  assert.equal(await insp.getByTestId('decoded').count(), 0);
  assert.ok(!(await text('inspector-text')).includes('alice@example.org'));
  await insp.getByTestId('inspector-reveal').click();
  await insp.getByTestId('decoded').waitFor(wait);
  assert.equal(await text('decoded-user'), 'alice@example.org');
  const password = await text('decoded-password');
  assert.ok(password.length > 0, 'a password part');
  assert.equal(password, 'wonderland', 'the documented demo account');
  assert.match(await text('decoded-text'), /\\0alice@example\.org\\0/);
  assert.equal(await text('base64-note'), en['ui.inspector.base64-note']);
  assert.equal((await text('encryption')).trim(), en['ui.inspector.plaintext']);
  assert.equal(await insp.getByTestId('wire-view').count(), 0, 'no TLS records for a plain line');
  await screenshot(page, 'plaintext');

  // On to the AUTH PLAIN after STARTTLS: the wire carries TLS records only.
  const tls = await stepUntil((l) => /^AUTH PLAIN /.test(l.text) && l.encrypted && l.seq > plain.seq, 'AUTH PLAIN under TLS');
  assert.equal((await selectedLine(page)).seq, tls.seq);
  assert.equal((await text('encryption')).trim(), en['ui.inspector.encrypted']);
  assert.equal(await insp.getByTestId('decoded').count(), 0, 'not decoded unless revealed');
  const wireHex = await insp.getByTestId('wire-view').locator('.h').first().textContent();
  assert.match(wireHex, /^17 03 03 /, 'a TLS application-data record');
  const wireAll = await insp.getByTestId('wire-view').textContent();
  assert.ok(!wireAll.includes('AUTH'), 'no plaintext in the wire view');
  assert.equal(await insp.getByTestId('endpoint-view').count(), 0, 'endpoint bytes stay hidden');
  assert.deepEqual(page.errors, []);
});
