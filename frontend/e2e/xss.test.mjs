// Text from the wire is shown as text: an external client sends markup in
// the subject and the body; the page must show it literally and run nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSession, openSession } from './browser.mjs';
import {
  assertNoPageScroll,
  caughtUp,
  catalog,
  openApp,
  revealLine,
  scanTranscript,
  screenshot,
  sendMail,
  wait,
} from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const subject = '<img src=x onerror=alert(1)>';
const script = '<script>window.__pwned=1</script>';

test('live: markup in a mail from an external client stays text', async () => {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page, srv.controlUrl);
  // serve starts in the live world; pick it explicitly in case that changes.
  if ((await page.getByTestId('scenario').inputValue()) !== 'live') {
    await page.getByTestId('scenario').selectOption('live');
    await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  }

  const message = [
    'From: Eve <eve@example.com>',
    'To: Bob <bob@example.net>',
    `Subject: ${subject}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>Hello Bob</p>`,
    script,
    '',
  ].join('\n');
  await sendMail(srv.mxNetPort, message);

  // The whole session arrives (live is instant) and the page shows all of it.
  assert.ok((await caughtUp(page, srv)) > 20);

  // The subject and the script line, literally, in the transcript.
  const lines = await scanTranscript(page);
  const subjectLine = lines.find((l) => l.text === `Subject: ${subject}`);
  assert.ok(subjectLine, 'the transcript shows the Subject line as text');
  assert.equal(subjectLine.dir, 'C:');
  assert.ok(lines.some((l) => l.text === script), 'the transcript shows the script line as text');

  // Select the external client's DATA command (Python sends it in lower case) and read the message panel.
  const data = lines.filter((l) => /^DATA$/i.test(l.text) && l.seq < subjectLine.seq).at(-1);
  assert.ok(data, 'a DATA line before the subject');
  const dataRow = await revealLine(page, data.seq);
  await dataRow.click();
  assert.equal(await dataRow.getAttribute('aria-selected'), 'true');
  const msg = page.getByTestId('message');
  // The message of this connection, as the external client sent it (not a later hop).
  const en = catalog('en');
  await msg.locator('.src').filter({ hasText: `${en['ui.message.source-data']} · ${en['node.external']} → mx.example.net (SMTP 25)` }).waitFor(wait);
  const subjectField = msg.getByTestId('envelope-vs-header').locator('.hdr > div', { has: page.locator('.k', { hasText: /^Subject$/ }) });
  await subjectField.waitFor(wait);
  assert.equal(await subjectField.locator('.mono').textContent(), subject);
  // The body, as text, in the message panel.
  assert.ok((await msg.locator('pre.body').textContent()).includes(script), 'the body shows the script tag as text');
  await page.getByTestId('inspector').getByTestId('inspector-text').filter({ hasText: /^C:\s*DATA/i }).waitFor(wait);

  // Nothing ran and no markup was made.
  const dom = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    imgs: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
    onerror: document.querySelectorAll('[onerror]').length,
  }));
  assert.deepEqual(dom, { pwned: 'undefined', imgs: 0, scripts: 0, onerror: 0 });
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(page.errors, []);

  await assertNoPageScroll(page);
  await screenshot(page, 'xss');
});
