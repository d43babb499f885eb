// "Type it yourself" in the browser: a student types a whole SMTP session
// to mx.example.net by hand (EHLO, MAIL, RCPT, DATA, the message, the dot,
// QUIT) and the mail lands in Bob's mailbox; an out-of-order RCPT gets its
// hint first. Markup typed into the subject stays text everywhere.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoPageScroll, blur, catalog, closeSession, openApp, openSession, selectedLine, screenshot, wait } from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const subject = 'Hello <script>window.__pwned=1</script> from the terminal';
const input = () => page.getByTestId('terminal-input');
const lineCount = () => page.getByTestId('terminal-line').count();

/** received waits for a server line after the first `from` lines of the terminal that matches re. */
async function received(from, re) {
  await page.waitForFunction(
    ([from, src]) => {
      const re = new RegExp(src);
      const rows = [...document.querySelectorAll('[data-testid=terminal-line]')].slice(from);
      return rows.some((r) => r.getAttribute('data-kind') === 'received' && re.test(r.querySelector('.text')?.textContent ?? ''));
    },
    [from, re.source],
    wait,
  ).catch(async (e) => {
    throw new Error(`no server line ${re} after line ${from}; the terminal shows:\n${await page.getByTestId('terminal-output').innerText()}\n${e}`);
  });
}

/** send types a line, sends it with Enter and waits for the reply matching re (if any). */
async function send(line, re) {
  const from = await lineCount();
  const sent = await sentCount();
  await input().fill(line);
  await input().press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=terminal-line][data-kind=sent]').length > n, sent, wait);
  if (re) await received(from, re);
}

const sentCount = () => page.locator('[data-testid=terminal-line][data-kind=sent]').count();
const hintKey = () => page.getByTestId('terminal-hint').getAttribute('data-key');

async function connect(target) {
  await page.getByTestId('terminal-target').selectOption(target);
  await page.getByTestId('terminal-connect').click();
  await page.locator('[data-testid=terminal-input]:not([disabled])').waitFor(wait);
  await received(0, /^220 /); // the output shows the new connection only
}

async function bobsSubjects() {
  const res = await fetch(`${srv.origin}/api/call/snapshot`, { method: 'POST', body: JSON.stringify({ args: [] }) });
  assert.equal(res.status, 200);
  const { result } = await res.json();
  const bob = result.mailboxes.flatMap((d) => d.users).find((u) => u.address === 'bob@example.net');
  return bob.mailboxes.flatMap((m) => m.messages.map((x) => x.subject));
}

test('type it yourself: an SMTP session by hand delivers to Bob', async () => {
  const en = catalog('en');
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page, srv.controlUrl);
  if ((await page.getByTestId('scenario').inputValue()) !== 'live') {
    await page.getByTestId('scenario').selectOption('live');
    await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  }
  const before = await bobsSubjects();

  // T opens the panel; the picker names each server with its real address.
  await blur(page);
  await page.keyboard.press('t');
  await page.getByTestId('terminal-panel').waitFor(wait);
  const option = page.locator('[data-testid=terminal-target] option[value="mx.example.net:25"]');
  await option.waitFor({ state: 'attached', ...wait });
  assert.match(await option.textContent(), new RegExp(`^mx\\.example\\.net — SMTP, port 25, STARTTLS — here 127\\.0\\.0\\.1:${srv.mxNetPort}$`));

  // A fresh connection: RCPT before MAIL gets the hint, and the server's 503.
  await connect('mx.example.net:25');
  await input().fill('RCPT TO:<x>');
  assert.equal(await hintKey(), 'terminal.hint.smtp.rcpt-before-mail');
  assert.equal((await page.getByTestId('terminal-hint').textContent()).trim().replace(/^⚠/, ''), en['terminal.hint.smtp.rcpt-before-mail']);
  await send('RCPT TO:<x>', /^503 5\.5\.1 /);
  await page.getByTestId('terminal-disconnect').click();
  await page.locator('[data-testid=terminal-line][data-kind=closed]').waitFor(wait);

  // A new connection, the whole session typed by hand.
  await connect('mx.example.net:25');
  assert.equal(await hintKey(), 'terminal.hint.smtp.next.ehlo');
  await send('EHLO student.example.com', /^250 /);
  // Tab completes the verb.
  await input().fill('ma');
  await page.getByTestId('terminal-suggestion').first().waitFor(wait);
  await input().press('Tab');
  assert.equal(await input().inputValue(), 'MAIL FROM:<');
  await page.keyboard.type('student@example.com>');
  await send(await input().inputValue(), /^250 /);
  await send('RCPT TO:<bob@example.net>', /^250 /);
  await send('DATA', /^354 /);
  assert.equal(await hintKey(), 'terminal.hint.smtp.data-mode');
  assert.equal((await page.locator('label[for=terminal-input]').textContent()).trim().slice(0, 4), 'DATA');
  for (const line of ['From: Student <student@example.com>', 'To: Bob <bob@example.net>', `Subject: ${subject}`, '', 'Hi Bob, this mail was typed by hand.', '..a line that starts with a dot']) {
    await send(line);
  }
  await input().fill('.');
  assert.equal(await hintKey(), 'terminal.hint.smtp.data-end');
  await send('.', /^250 2\.0\.0 /);
  await send('QUIT', /^221 /);
  await page.locator('[data-testid=terminal-line][data-kind=closed]').waitFor(wait);

  // Bob's mailbox has it: in the API's snapshot and in "where the mail is".
  const after = await bobsSubjects();
  assert.equal(after.length, before.length + 1);
  assert.ok(after.includes(subject), `Bob's mailbox has the mail: ${JSON.stringify(after)}`);
  await page.getByTestId('tab-where').click();
  const bob = page.getByTestId('user-mailboxes').filter({ hasText: 'bob@example.net' });
  await bob.locator('.subj', { hasText: subject }).waitFor(wait);

  // The subject is text in the terminal too; nothing ran.
  const out = page.getByTestId('terminal-output');
  assert.ok((await out.textContent()).includes(`Subject: ${subject}`));
  assert.equal(await out.locator('script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // A terminal line is a line of the run: clicking it selects it in the transcript.
  await out.locator('[data-testid=terminal-line][data-kind=sent]', { hasText: 'MAIL FROM:<student@example.com>' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=transcript] [data-testid=line][aria-selected=true] .text')?.textContent === 'MAIL FROM:<student@example.com>', null, wait);
  const sel = await selectedLine(page);
  assert.equal(sel.dir, 'C:');
  await page.getByTestId('tab-inspector').waitFor(wait);

  await assertNoPageScroll(page);
  await page.screenshot({ path: '/tmp/terminal.png' });
  await screenshot(page, 'terminal');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(page.errors, []);
});
