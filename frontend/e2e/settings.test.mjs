// The World settings dialog against the real `maillab serve` (#18): in the
// live world the teacher opens the dialog from the toolbar with the
// keyboard, gives Bob a new password (POP3 over TLS on mail.example.net
// then takes the new one and refuses the old; the transcript says so),
// types a broken SPF record and sees the check's message beside the field,
// and takes the MX of example.net down (port 25 refuses connections) and
// back (it greets again). A viewer sees it all read-only, and why.
// Screenshots go to /tmp/settingsui (SETTINGSUI_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { resolve } from 'node:path';
import { focusRing, scan } from './a11y.mjs';
import { blur, catalog, closeSession, newPage, openApp, openSession, wait } from './browser.mjs';

const shots = process.env.SETTINGSUI_SHOTS ?? '/tmp/settingsui';
const en = catalog('en');

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

async function shot(p, name) {
  mkdirSync(shots, { recursive: true });
  await p.screenshot({ path: resolve(shots, `${name}.png`) });
}

async function api(method, args = [], token = srv.token) {
  return srv.call(method, args, token);
}

/** phrase is the longest fixed part of a catalogue text, to find its line in the transcript. */
const phrase = (key) =>
  en[key]
    .split(/\{[^}]*\}/)
    .map((s) => s.trim())
    .sort((a, b) => b.length - a.length)[0];

/** transcriptHas waits for a line of the run with the text of a state key and the word. */
async function transcriptHas(p, key, word) {
  await p
    .locator('[data-testid=transcript] [data-testid=note]')
    .filter({ hasText: phrase(key) })
    .filter({ hasText: word })
    .last()
    .waitFor({ state: 'attached', ...wait });
}

/** addr is where a server's well-known port listens in this run. */
async function addr(host, port) {
  const run = (await api('run')).body.result;
  const p = run.ports.find((x) => x.host === host && x.port === port);
  assert.ok(p, `no ${host}:${port} in ${JSON.stringify(run.ports)}`);
  const [h, n] = p.addr.split(/:(?=\d+$)/);
  return { host: h, port: Number(n) };
}

/** pop3Login logs in over POP3S (995) and answers the reply to PASS. */
function pop3Login(to, user, pass) {
  return new Promise((done, fail) => {
    const s = tls.connect({ ...to, servername: 'mail.example.net', rejectUnauthorized: false });
    const said = [`USER ${user}`, `PASS ${pass}`];
    let buf = '';
    const timer = setTimeout(() => (s.destroy(), fail(new Error(`POP3 said only: ${buf}`))), 20_000);
    s.setEncoding('utf8').on('data', (c) => {
      buf += c;
      const replies = buf.split('\r\n').filter(Boolean);
      if (replies.length === 3) {
        clearTimeout(timer);
        s.end('QUIT\r\n');
        done(replies[2]);
      } else if (buf.endsWith('\r\n') && replies.length <= 2) s.write(said[replies.length - 1] + '\r\n');
    });
    s.on('error', (e) => (clearTimeout(timer), fail(e)));
  });
}

/** greeting is what port answers first: the 220 line, or the connection error's code. */
function greeting(to) {
  return new Promise((done) => {
    const s = net.connect(to);
    s.setEncoding('utf8').once('data', (c) => (s.destroy(), done(c.trim())));
    s.once('error', (e) => done(e.code));
    setTimeout(() => (s.destroy(), done('timeout')), 10_000);
  });
}

test('world settings: Bob’s new password works, a broken SPF record is named, the MX goes down and back', async () => {
  await openApp(page, srv.controlUrl);
  if ((await page.getByTestId('scenario').inputValue()) !== 'live') {
    await page.getByTestId('scenario').selectOption('live');
  }
  const pop3s = await addr('mail.example.net', 995);
  const mx = await addr('mx.example.net', 25);

  // Reachable from the keyboard: Tab through the toolbar to the button, Enter opens the dialog.
  await blur(page);
  const stops = [];
  for (let i = 0; i < 90 && stops.at(-1) !== 'settings-open'; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName));
  }
  assert.equal(stops.at(-1), 'settings-open', `Tab never reached the World settings button: ${stops.join(', ')}`);
  const ring = await focusRing(page);
  assert.ok(ring.ok, `${ring.who}: ${ring.why}`);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
  assert.equal(await dialog.locator('h2').textContent(), en['ui.settings.title']);

  // The provider tabs move with the arrow keys.
  await page.getByTestId('settings-provider-example.org').focus();
  await page.keyboard.press('ArrowRight');
  const netTab = page.getByTestId('settings-provider-example.net');
  assert.equal(await netTab.getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'settings-provider-example.net');
  await shot(page, 'accounts');
  const a11y = await scan(page);
  assert.deepEqual(a11y, [], 'no accessibility problems in the dialog');

  // Bob's password: the old one works, then the new one does and the old one is refused.
  assert.match(await pop3Login(pop3s, 'bob@example.net', 'builder'), /^\+OK/);
  const bob = dialog.locator('[data-testid=settings-account][data-address="bob@example.net"]');
  await bob.getByTestId('settings-password').fill('bob-Neu-2026');
  await bob.getByTestId('settings-set-password').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await transcriptHas(page, 'state.account-password', 'bob@example.net');
  assert.match(await pop3Login(pop3s, 'bob@example.net', 'bob-Neu-2026'), /^\+OK/, 'the new password works');
  assert.match(await pop3Login(pop3s, 'bob@example.net', 'builder'), /^-ERR/, 'the old one is refused');
  assert.equal(await bob.getByTestId('settings-password').getAttribute('placeholder'), 'bob-Neu-2026');

  // A broken SPF record: the check's message appears beside the field as it is typed.
  await page.getByTestId('settings-section-dns').click();
  const spf = page.getByTestId('settings-dns-spf');
  const broken = 'v=spf1 ip4:300.1.1.1 -all';
  const expected = (await api('checkRecord', ['spf', broken, 'en'])).body.result.message;
  assert.ok(expected, 'the Go side finds the problem');
  await spf.fill('');
  await spf.pressSequentially(broken, { delay: 5 });
  const problem = page.getByTestId('settings-dns-spf-problem');
  await problem.filter({ hasText: expected }).waitFor(wait);
  assert.equal(await spf.getAttribute('aria-invalid'), 'true');
  const [fieldBox, problemBox] = [await spf.boundingBox(), await problem.boundingBox()];
  assert.ok(problemBox.y >= fieldBox.y + fieldBox.height - 1 && problemBox.y - (fieldBox.y + fieldBox.height) < 40, 'the problem is right under its field');
  assert.equal(await problem.evaluate((el) => getComputedStyle(el).color === getComputedStyle(document.body).color), false, 'shown in the warning colour');
  await shot(page, 'dns-broken-spf');
  await page.getByTestId('settings-save-dns').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.dns-fix'] }).waitFor(wait);
  const zone = (await api('dnsZone', ['example.net'])).body.result;
  assert.notEqual(zone.spf, broken, 'a marked record is not saved');

  // The MX of example.net goes down (connections refused) and comes back (it greets again).
  assert.match(await greeting(mx), /^220 /);
  await page.getByTestId('settings-section-servers').click();
  const sw = page.getByTestId('settings-server-mx');
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  await sw.click();
  await page.locator('[data-testid=settings-server-mx][aria-checked=false]').waitFor(wait);
  await transcriptHas(page, 'state.server-down', 'mx.example.net');
  assert.equal(await greeting(mx), 'ECONNREFUSED');
  await shot(page, 'servers-mx-down');
  await page.getByTestId('settings-server-mx').click();
  await page.locator('[data-testid=settings-server-mx][aria-checked=true]').waitFor(wait);
  await transcriptHas(page, 'state.server-up', 'mx.example.net');
  assert.match(await greeting(mx), /^220 /);

  // Escape closes it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });
  await shot(page, 'transcript-after');
  assert.deepEqual(page.errors, []);
});

test('world settings: Bob’s laptop switched to IMAP checks mail over IMAP', async () => {
  await openApp(page, srv.controlUrl);
  await page.getByTestId('settings-open').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('settings-tab-devices').click();
  const bob = dialog.locator('[data-testid=settings-device][data-device="bob-laptop"]');
  assert.equal(await bob.getByTestId('settings-device-protocol-pop3').isChecked(), true, 'POP3 as the world says');
  await bob.getByTestId('settings-device-protocol-imap').check();
  assert.equal(await bob.getByTestId('settings-device-leave').isDisabled(), true, 'leave a copy is POP3 only');
  const ports = await bob.getByTestId('settings-device-security').locator('option').allTextContents();
  assert.deepEqual(ports.map((t) => t.match(/\d+/)?.[0]), ['143', '993', '143']);
  await shot(page, 'devices');
  assert.deepEqual(await scan(page), [], 'no accessibility problems in the Devices tab');
  await bob.getByTestId('settings-save-device').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await transcriptHas(page, 'state.device-changed', 'IMAP');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });

  // The mail client checks Bob's laptop's mail over IMAP now.
  const from = (await api('events', [0, 1])).body.result.last;
  await page.getByTestId('mailclient-open').click();
  const mc = page.getByTestId('mailclient');
  await mc.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('mailclient-device').selectOption('bob-laptop');
  await page.getByTestId('mailclient-tab-inbox').click();
  await page.getByTestId('mailclient-protocol').filter({ hasText: 'IMAP (143)' }).waitFor(wait);
  await page.getByTestId('mailclient-check').click();
  await transcriptHas(page, 'action.client-checks-imap', '');
  let imap = [];
  const deadline = Date.now() + 30_000;
  while (!imap.length) {
    assert.ok(Date.now() < deadline, 'an IMAP line of Bob’s laptop in the transcript');
    await page.waitForTimeout(200);
    const evs = [];
    for (let since = from, more = true; more; ) {
      const pg = (await api('events', [since, 0])).body.result;
      evs.push(...pg.events);
      more = pg.more && pg.events.length > 0;
      since = pg.events.at(-1)?.seq ?? since;
    }
    imap = evs.filter((e) => e.kind === 'line' && e.client === 'bob-laptop' && e.proto === 'imap' && e.port === 143);
  }
  await page.locator('[data-testid=transcript] [data-testid=line] .text').filter({ hasText: /IMAP4rev/ }).last().waitFor({ state: 'attached', ...wait });
  await shot(page, 'devices-imap-check');
  await page.keyboard.press('Escape');
  await mc.waitFor({ state: 'hidden', ...wait });
  assert.deepEqual(page.errors, []);
});

test('world settings: a viewer sees them read-only, without passwords, and why', async () => {
  const viewer = await newPage(browser);
  await openApp(viewer, srv.viewerUrl);
  await viewer.getByTestId('settings-open').click();
  const dialog = viewer.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await viewer.getByTestId('settings-viewer').filter({ hasText: en['ui.settings.viewer'] }).waitFor(wait);
  await viewer.getByTestId('settings-provider-example.net').click();
  const bob = dialog.locator('[data-testid=settings-account][data-address="bob@example.net"]');
  assert.equal(await bob.getByTestId('settings-password').isDisabled(), true);
  assert.doesNotMatch(await dialog.innerText(), /builder|bob-Neu-2026/);
  const { body } = await api('worldSettings', [], '');
  assert.ok(body.result.providers.every((p) => p.accounts.every((a) => !a.password)), 'the API gives a viewer no password');
  await shot(viewer, 'viewer');
  await viewer.context().close();
});
