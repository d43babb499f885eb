// The built-in mail client against the real `maillab serve`: in a stepped
// run, Alice's laptop (opened from the topology with the keyboard) sends
// Bob a mail with a sample attachment over 587; the run is played through,
// Bob's laptop checks mail over POP3, and the inbox shows the subject as
// text (markup in it runs nothing) with the attachment's name.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { closeSession, openSession } from './browser.mjs';
import { catalog, openApp, scanTranscript, wait } from './browser.mjs';
import { focusRing, scan } from './a11y.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const shots = process.env.MAILCLIENT_SHOTS ?? '/tmp/mailclient';
const subject = '<script>window.__pwned=1</script> Grüße aus Łódź';

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

/** bobHas: the mail is in Bob's mailbox on mail.example.net (asked over the API, as a viewer may). */
async function bobHas() {
  const r = await fetch(`${srv.origin}/api/call/snapshot`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: srv.origin },
    body: '{"args":[]}',
  });
  const { result } = await r.json();
  const users = result.mailboxes.flatMap((p) => p.users);
  const bob = users.find((u) => u.address === 'bob@example.net');
  return !!bob?.mailboxes.some((m) => m.messages.some((x) => x.subject === subject));
}

test('mail client: compose with an attachment on 587, play it through, check mail on Bob’s laptop', async () => {
  const en = catalog('en');
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  // The lesson's own script first, at the fastest speed, so that Bob's
  // laptop fetches nothing of ours before the mail client's check.
  await page.getByTestId('speed').fill('3000');
  await page.getByTestId('play').click();
  await page.locator('[data-testid=app][data-finished=true]').waitFor({ timeout: 120_000 });
  await page.getByTestId('play').click(); // pause: the mail client's traffic waits for the next play
  await page.getByTestId('play').filter({ hasText: en['ui.controls.play'] }).waitFor(wait);

  // Alice's laptop in the topology is a button: focus it, Enter opens her mail client.
  const open = page.getByTestId('open-mail-alice-laptop');
  assert.equal(await open.getAttribute('aria-label'), en['ui.mailclient.open-device'].replace('{device}', "Alice's laptop"));
  await open.focus();
  await page.keyboard.press('Shift+Tab'); // a key press makes the focus visible, as for a keyboard user
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'open-mail-alice-laptop');
  const ring = await focusRing(page);
  assert.ok(ring.ok, `the device button shows its focus: ${ring.why}`);
  await page.keyboard.press('Enter');
  const dlg = page.getByTestId('mailclient');
  await dlg.waitFor({ state: 'visible', ...wait });
  assert.equal(await page.getByTestId('mailclient-device').inputValue(), 'alice-laptop');
  assert.equal(await dlg.locator('#mc-from').inputValue(), 'alice@example.org');
  assert.equal(await page.getByTestId('mailclient-to').inputValue(), 'bob@example.net');
  assert.equal(await page.getByTestId('mailclient-route-587').isChecked(), true, '587 is the default route');
  // Each route is explained in one line beside it.
  for (const r of ['587', '465', '25']) {
    assert.equal(await dlg.locator(`#mc-route-${r}`).textContent(), en[`ui.mailclient.route.${r}`]);
  }

  await page.getByTestId('mailclient-subject').fill(subject);
  await page.getByTestId('mailclient-body').fill('Hallo Bob,\nzażółć gęślą jaźń.\nAlice');
  await page.getByTestId('mailclient-sample-greetings.txt').check();
  await shot('compose');
  assert.deepEqual(await scan(page), [], 'axe: the compose view');
  await page.getByTestId('mailclient-send').click();
  await page.getByTestId('mailclient-notice').filter({ hasText: en['ui.mailclient.started-stepped'] }).waitFor(wait);
  assert.equal(await page.getByTestId('mailclient-error').count(), 0);

  // Nothing went out yet: the run holds the action until it is stepped.
  assert.equal(await bobHas(), false);
  // Esc closes the mail client; play the run again.
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden', ...wait });
  await page.getByTestId('play').click();
  const deadline = Date.now() + 120_000;
  while (!(await bobHas())) {
    assert.ok(Date.now() < deadline, 'the mail reached Bob’s mailbox while the run played');
    await page.waitForTimeout(250);
  }
  // The transcript shows the client's action and its MIME: the RFC 2047 subject (read as a
  // reader would, scrolling: the list renders only the rows near the ones on screen).
  const subjectShown = async () => (await scanTranscript(page)).some((l) => l.text.includes('=?utf-8?q?'));
  const until = Date.now() + wait.timeout;
  while (!(await subjectShown())) {
    assert.ok(Date.now() < until, 'the transcript shows the RFC 2047 subject');
    await page.waitForTimeout(250);
  }

  // The toolbar opens the mail client too; Bob's laptop, Inbox, Check mail (POP3).
  await page.getByTestId('mailclient-open').click();
  await dlg.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('mailclient-device').selectOption('bob-laptop');
  await page.getByTestId('mailclient-tab-inbox').click();
  assert.equal(await dlg.getByText(en['ui.mailclient.protocol'].replace('{protocol}', 'POP3')).count(), 1);
  await page.getByTestId('mailclient-check').click();
  const row = page.getByTestId('mailclient-message').filter({ hasText: subject });
  await row.waitFor(wait); // the run still plays: the check's POP3 session goes through
  assert.equal(await row.locator('.subject').textContent(), subject, 'the subject is shown as text');
  assert.match(await row.getByTestId('mailclient-attachments').textContent(), /greetings\.txt/);
  assert.match(await row.locator('.body').textContent(), /zażółć gęślą jaźń/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script from the mail ran');
  assert.equal(await dlg.locator('script').count(), 0);
  assert.deepEqual(dialogs, []);
  await shot('inbox');
  assert.deepEqual(await scan(page), [], 'axe: the inbox view');

  // Bad input gets a clear error from the Go side, in the interface language.
  await page.getByTestId('mailclient-tab-compose').click();
  await page.getByTestId('mailclient-to').fill('not-an-address');
  await page.getByTestId('mailclient-send').click();
  await page.getByTestId('mailclient-error').filter({ hasText: '“not-an-address” is not an e-mail address.' }).waitFor(wait);

  // In German the labels and the Go side's error follow the interface language.
  await page.keyboard.press('Escape');
  await dlg.waitFor({ state: 'hidden', ...wait });
  await page.getByTestId('lang-de').click();
  await page.getByTestId('mailclient-open').click();
  await dlg.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('mailclient-tab-compose').click();
  await page.getByTestId('mailclient-to').fill('bob@example.net, kein-adresse');
  await page.getByTestId('mailclient-send').click();
  await page.getByTestId('mailclient-error').filter({ hasText: '„kein-adresse“ ist keine E-Mail-Adresse.' }).waitFor(wait);
  await shot('compose-de');
  assert.deepEqual(page.errors, []);
});
