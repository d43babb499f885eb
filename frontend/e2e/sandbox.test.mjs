// The sandbox of #18 end to end against the real `maillab serve`:
// 1. Alice's laptop composes a mail To Bob, Cc Carol, Bcc Dave with a
//    sample attachment in a stepped run; the run is played through; Bob's
//    phone checks mail over IMAP and lists the attachment; no line a
//    recipient's side sees (the MX's DATA, LMTP delivery, Bob's IMAP) names
//    Dave outside the envelope's RCPT TO.
// 2. DMARC: with example.org's record set to p=none in the World settings, a
//    mail "from alice@example.org" sent by her laptop straight to Bob's MX
//    (port 25, unsigned, from an address SPF does not allow) is delivered;
//    with p=reject (the default, set again in the settings) the same mail is
//    refused with 550 5.7.1 … DMARC.
// 3. A challenge: "Bob's mailbox is full" is loaded, checked (unsolved),
//    fixed in the World settings (Bob's quota), checked again: solved.
// Screenshots go to /tmp/e2e18 (SANDBOX_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalog, closeSession, eventsSince, openApp, openSession, until, wait } from './browser.mjs';

const shots = process.env.SANDBOX_SHOTS ?? '/tmp/e2e18';
const en = catalog('en');

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
/** newErrors: the page's errors since the last call (each test answers for its own). */
let seenErrors = 0;
const newErrors = () => page.errors.slice(seenErrors, (seenErrors = page.errors.length));
after(() => closeSession(srv, browser));

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: resolve(shots, `${name}.png`) });
}

async function api(method, args = []) {
  return srv.result(method, args);
}

/** inbox lists the subjects in an account's INBOX on its provider's store (the snapshot API). */
async function inbox(address) {
  const snap = await api('snapshot');
  const user = snap.mailboxes.flatMap((p) => p.users).find((u) => u.address === address);
  assert.ok(user, `no ${address} in the snapshot`);
  return user.mailboxes.filter((m) => m.name === 'INBOX').flatMap((m) => m.messages.map((x) => x.subject));
}

/** until polls f until it answers truthy (the server is asked, nothing sleeps blindly). */
async function openMailClient(device) {
  const dlg = page.getByTestId('mailclient');
  await page.getByTestId('mailclient-open').click();
  await dlg.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('mailclient-device').selectOption(device);
  return dlg;
}

async function closeDialog(testid) {
  await page.keyboard.press('Escape');
  await page.getByTestId(testid).waitFor({ state: 'hidden', ...wait });
}

/** openSettings opens the World settings on a provider's section. */
async function openSettings(domain, section) {
  await page.getByTestId('settings-open').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId(`settings-provider-${domain}`).click();
  await page.locator(`[data-testid="settings-provider-${domain}"][aria-selected=true]`).waitFor(wait);
  await page.getByTestId(`settings-section-${section}`).click();
  return dialog;
}

/** setDMARC writes example.org's DMARC record in the World settings and saves the zone. */
async function setDMARC(record) {
  await openSettings('example.org', 'dns');
  const field = page.getByTestId('settings-dns-dmarc');
  await field.fill(record);
  await page.getByTestId('settings-save-dns').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  const zone = await api('dnsZone', ['example.org']);
  assert.equal(zone.dmarc, record, 'the zone now publishes the record');
  await shot(`dmarc-${/p=(\w+)/.exec(record)[1]}`);
  await closeDialog('settings-dialog');
}

test('compose with Cc, Bcc and an attachment, step it through, Bob’s phone sees it over IMAP, Dave is in no header', async () => {
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  const since = (await eventsSince(srv)).at(-1)?.seq ?? 0;
  const subject = 'Sandbox: Cc, Bcc und ein Anhang';

  const dlg = await openMailClient('alice-laptop');
  assert.equal(await dlg.locator('#mc-from').inputValue(), 'alice@example.org');
  await page.getByTestId('mailclient-to').fill('bob@example.net');
  await page.getByTestId('mailclient-cc').fill('carol@example.net');
  // Bob again in Bcc: the envelope names each address once, Bob gets one copy.
  await page.getByTestId('mailclient-bcc').fill('dave@example.net, Bob@example.net');
  await page.getByTestId('mailclient-subject').fill(subject);
  await page.getByTestId('mailclient-body').fill('Hallo Bob, hallo Carol,\nim Anhang ein Gruß.\nAlice');
  await page.getByTestId('mailclient-sample-greetings.txt').check();
  await page.getByTestId('mailclient-route-587').check();
  await shot('compose');
  await page.getByTestId('mailclient-send').click();
  await page.getByTestId('mailclient-notice').filter({ hasText: en['ui.mailclient.started-stepped'] }).waitFor(wait);
  assert.equal(await page.getByTestId('mailclient-error').count(), 0);
  assert.deepEqual(await inbox('bob@example.net'), [], 'a stepped run holds the mail until it is stepped');
  await closeDialog('mailclient');

  // Step it through: play the run at the fastest speed until all three have it.
  await page.getByTestId('speed').fill('3000');
  await page.getByTestId('play').click();
  for (const rcpt of ['bob@example.net', 'carol@example.net', 'dave@example.net']) {
    await until(async () => (await inbox(rcpt)).includes(subject), `the mail in ${rcpt}'s INBOX`);
  }
  assert.equal((await inbox('bob@example.net')).filter((x) => x === subject).length, 1, 'Bob has one copy');
  await shot('played');

  // Bob's phone checks mail over IMAP: the mail is listed with its attachment.
  await openMailClient('bob-phone');
  await page.getByTestId('mailclient-tab-inbox').click();
  assert.equal(await dlg.getByText(en['ui.mailclient.protocol'].replace('{protocol}', 'IMAP')).count(), 1);
  await page.getByTestId('mailclient-check').click();
  const row = page.getByTestId('mailclient-message').filter({ hasText: subject });
  await row.waitFor(wait);
  assert.equal(await row.locator('.subject').textContent(), subject);
  const open = row.getByTestId('mailclient-open-message');
  if (await open.count()) {
    // Headers only so far: open it, the phone fetches the whole message.
    await page.locator('[data-testid=mailclient-busy]').waitFor({ state: 'detached', ...wait });
    await open.click();
    await open.waitFor({ state: 'detached', ...wait });
  }
  await row.getByTestId('mailclient-attachments').waitFor(wait);
  assert.match(await row.getByTestId('mailclient-attachments').textContent(), /greetings\.txt/);
  assert.doesNotMatch(await dlg.innerText(), /dave/i, 'Bob’s phone shows no Dave');
  await shot('bob-phone-imap');
  await closeDialog('mailclient');

  // What the recipients' side saw: the MX's session (headers in DATA), the
  // delivery into the store, Bob's IMAP session. Dave may appear only in
  // the envelope (RCPT TO), never in a header.
  const events = (await eventsSince(srv, since)).filter((e) => e.kind === 'line');
  const headerSide = events.filter(
    (e) => e.server === 'mx.example.net' || e.server === 'mail.example.net' || e.client === 'bob-phone',
  );
  assert.ok(headerSide.some((e) => /^Cc:.*carol@example\.net/i.test(e.text ?? '')), 'the Cc header reaches the MX');
  assert.ok(headerSide.some((e) => e.client === 'bob-phone' && /greetings\.txt/.test(e.text ?? '')), 'Bob’s phone fetched the attachment part');
  assert.ok(headerSide.some((e) => e.client === 'bob-phone' && /^To:.*bob@example\.net/i.test(e.text ?? '')), 'Bob’s phone fetched the headers');
  const envelope = (t) => /^RCPT TO:/i.test(t) || /^250 2\.1\.5 /.test(t); // the command and its reply
  const leaks = headerSide.filter((e) => /dave/i.test(e.text ?? '') && !envelope(e.text));
  assert.deepEqual(leaks.map((e) => `${e.client}→${e.server} ${e.dir}: ${e.text}`), [], 'Dave appears only in the envelope');
  // The submission from Alice's laptop already drops the Bcc header (the MUA's job).
  // (the lesson's own script sends from her laptop too: our session is the one with our subject)
  const ours = new Set(events.filter((e) => e.client === 'alice-laptop' && e.text === `Subject: ${subject}`).map((e) => e.conn));
  assert.equal(ours.size, 1, 'one submission session carries our mail');
  const submission = events.filter((e) => ours.has(e.conn));
  const rcpts = submission.filter((e) => /^RCPT TO:/i.test(e.text ?? '')).map((e) => e.text.toLowerCase());
  assert.deepEqual(rcpts, ['rcpt to:<bob@example.net>', 'rcpt to:<carol@example.net>', 'rcpt to:<dave@example.net>'], 'each recipient once in the envelope');
  assert.deepEqual(submission.filter((e) => /^Bcc:/i.test(e.text ?? '')).map((e) => e.text), [], 'no Bcc header is sent');
  assert.deepEqual(newErrors(), []);
});

test('DMARC: a forgery straight to Bob’s MX is delivered under p=none and refused under p=reject', async () => {
  newErrors(); // the errors of an earlier test are its own
  await page.getByTestId('scenario').selectOption('live');
  await page.getByTestId('scenario').filter({ hasText: /./ }).waitFor(wait);
  await until(async () => (await api('run')).scenario === 'live', 'the live run');
  const defaults = await api('dnsZone', ['example.org']);
  assert.match(defaults.dmarc, /p=reject/, 'example.org publishes p=reject by default');
  const reject = defaults.dmarc;

  /** forge sends "from alice@example.org" by her laptop over 25 straight to mx.example.net. */
  async function forge(subject) {
    const since = (await eventsSince(srv)).at(-1)?.seq ?? 0;
    const dlg = await openMailClient('alice-laptop');
    await page.getByTestId('mailclient-tab-compose').click();
    await page.getByTestId('mailclient-to').fill('bob@example.net');
    await page.getByTestId('mailclient-subject').fill(subject);
    await page.getByTestId('mailclient-body').fill('Bitte überweise 1000 € an Eve.');
    await page.getByTestId('mailclient-route-25').check();
    await page.getByTestId('mailclient-send').click();
    await page.getByTestId('mailclient-notice').waitFor(wait);
    assert.equal(await page.getByTestId('mailclient-error').count(), 0);
    // The session to the MX ends: its QUIT reply (or the connection's close) is in the log.
    const session = await until(async () => {
      const ev = await eventsSince(srv, since);
      const mx = ev.filter((e) => e.client === 'alice-laptop' && e.server === 'mx.example.net');
      return mx.some((e) => e.kind === 'close') ? mx : null;
    }, 'the session to mx.example.net ends');
    await shot(`forgery-${subject.split(' ').at(-1)}`);
    await closeDialog('mailclient');
    void dlg;
    return session.filter((e) => e.kind === 'line').map((e) => `${e.dir} ${e.text}`);
  }

  await setDMARC('v=DMARC1; p=none');
  const allowed = await forge('Forgery under p=none');
  assert.ok(allowed.some((l) => /^\S+ 250 /.test(l) && /queued|accepted|ok/i.test(l)), `the DATA is taken:\n${allowed.join('\n')}`);
  assert.ok(!allowed.some((l) => /5\.7\.1/.test(l)), `nothing refused:\n${allowed.join('\n')}`);
  await until(async () => (await inbox('bob@example.net')).includes('Forgery under p=none'), 'the forgery in Bob’s INBOX');

  await setDMARC(reject);
  const refused = await forge('Forgery under p=reject');
  const line = refused.find((l) => /550 5\.7\.1/.test(l));
  assert.ok(line, `refused with 550 5.7.1:\n${refused.join('\n')}`);
  assert.match(line, /DMARC/);
  await page.getByTestId('transcript').getByText(/550 5\.7\.1.*DMARC/).first().waitFor({ state: 'attached', ...wait });
  assert.ok(!(await inbox('bob@example.net')).includes('Forgery under p=reject'), 'the refused forgery is not in Bob’s INBOX');
  await shot('dmarc-refused');
  assert.deepEqual(newErrors(), []);
});

test('challenge: Bob’s mailbox is full, fixed in the World settings, solved', async () => {
  newErrors();
  await page.getByTestId('challenge-open').click();
  const dialog = page.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-start-mailbox-full').click();
  await page.getByTestId('challenge-name').filter({ hasText: en['challenge.mailbox-full.title'] }).waitFor(wait);
  await until(async () => (await api('run')).world === 'Challenge: Bob’s mailbox is full', 'the challenge’s world runs');
  const result = page.getByTestId('challenge-result');
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.unsolved'] }).waitFor(wait);
  assert.match(await page.getByTestId('challenge-goal').textContent(), /552 5\.2\.2/);
  await shot('challenge-unsolved');
  await closeDialog('challenge-dialog');

  // The fix: Bob's quota in the World settings.
  const settings = await openSettings('example.net', 'accounts');
  const bob = settings.locator('[data-testid=settings-account][data-address="bob@example.net"]');
  await bob.getByTestId('settings-quota').fill('10MiB');
  await bob.getByTestId('settings-set-quota').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await shot('challenge-quota');
  await closeDialog('settings-dialog');

  await page.getByTestId('challenge-open').click();
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.solved'] }).waitFor(wait);
  await page.getByTestId('challenge-explanation').waitFor(wait);
  assert.deepEqual(await page.getByTestId('challenge-goal').locator('.mark').allTextContents(), ['✓', '✓']);
  await shot('challenge-solved');
  await closeDialog('challenge-dialog');
  assert.deepEqual(newErrors(), []);
});
