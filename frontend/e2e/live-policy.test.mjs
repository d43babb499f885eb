// #18, what changes while the world runs, against the real `maillab serve`:
// 1. The ninth challenge, "Greylisted, and the queue gives up": checked, the
//    mail bounces (expired in the queue); the queue lifetime of example.org
//    set to 1h in the World settings' Server policy; checked again: solved.
// 2. Server policy that restarts a server: example.net's SIZE is set to
//    4000 bytes; the transcript says mx.example.net restarts, and its EHLO
//    then announces SIZE 4000.
// 3. Devices: Bob's laptop leaves mail on the server and deletes it after
//    14 days; the field appears only with "leave a copy", and the world
//    file says so.
// Screenshots go to /tmp/livepolicy (LIVEPOLICY_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { catalog, closeSession, openApp, openSession, until, wait } from './browser.mjs';

const shots = process.env.LIVEPOLICY_SHOTS ?? '/tmp/livepolicy';
const en = catalog('en');

let srv;
let browser;
let page;

before(async () => {
  ({ srv, browser, page } = await openSession());
  await openApp(page, srv.controlUrl);
});
after(() => closeSession(srv, browser));

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: resolve(shots, `${name}.png`) });
}

async function api(method, args = []) {
  return srv.result(method, args);
}

async function closeDialog(testid) {
  await page.keyboard.press('Escape');
  await page.getByTestId(testid).waitFor({ state: 'hidden', ...wait });
}

async function openSettings(tab, section) {
  await page.getByTestId('settings-open').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId(`settings-${tab}`).click();
  if (section) await page.getByTestId(`settings-section-${section}`).click();
  return dialog;
}

/** ehlo says EHLO to a host's port 25 in this run and returns the reply's lines. */
async function ehlo(host) {
  const run = await api('run');
  const p = run.ports.find((x) => x.host === host && x.port === 25);
  assert.ok(p, `no ${host}:25`);
  const [h, n] = p.addr.split(/:(?=\d+$)/);
  return new Promise((done, fail) => {
    const s = net.connect({ host: h, port: Number(n) });
    let buf = '';
    const timer = setTimeout(() => (s.destroy(), fail(new Error(`EHLO got only: ${buf}`))), 20_000);
    s.setEncoding('utf8').on('data', (c) => {
      buf += c;
      if (buf.split('\r\n').length === 2) s.write('EHLO client.test\r\n');
      const lines = buf.split('\r\n').filter(Boolean);
      if (lines.length > 1 && /^250 /.test(lines.at(-1))) {
        clearTimeout(timer);
        s.end('QUIT\r\n');
        done(lines.slice(1).map((l) => l.slice(4)));
      }
    });
    s.on('error', fail);
  });
}

test('the greylisting challenge: the queue gives up, a longer queue lifetime solves it', async () => {
  await page.getByTestId('challenge-open').click();
  const dialog = page.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-start-greylist-queue-expires').click();
  await page.getByTestId('challenge-name').filter({ hasText: en['challenge.greylist-queue-expires.title'] }).waitFor(wait);
  await until(async () => (await api('run')).world === 'Challenge: greylisted, and the queue gives up', 'the challenge’s world runs');
  const result = page.getByTestId('challenge-result');
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.unsolved'] }).waitFor(wait);
  assert.match(await page.getByTestId('challenge-goal').textContent(), /Greylisted/);
  await shot('greylist-unsolved');
  await closeDialog('challenge-dialog');

  await openSettings('provider-example.org', 'policy');
  const lifetime = page.getByTestId('settings-queue-lifetime');
  assert.equal(await lifetime.inputValue(), '10m');
  await lifetime.fill('1h');
  await page.getByTestId('settings-save-policy').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await shot('greylist-policy');
  await closeDialog('settings-dialog');

  await page.getByTestId('challenge-open').click();
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.solved'] }).waitFor(wait);
  await page.getByTestId('challenge-explanation').waitFor(wait);
  await shot('greylist-solved');
  await closeDialog('challenge-dialog');
  assert.deepEqual(page.errors, []);
});

test('SIZE on the MX: the MX restarts, the transcript says so, EHLO announces it', async () => {
  assert.ok((await ehlo('mx.example.net')).includes('SIZE 10485760'));
  await openSettings('provider-example.net', 'policy');
  await page.getByTestId('settings-mx-size-limit').fill('4000');
  await page.getByTestId('settings-save-policy').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await shot('size-policy');
  await closeDialog('settings-dialog');
  await until(async () => (await ehlo('mx.example.net')).includes('SIZE 4000'), 'EHLO announces SIZE 4000');
  const restarted = en['state.server-restarted'].split(/\{[^}]*\}/)[1].trim().slice(0, 30);
  await page.locator('[data-testid=transcript] [data-testid=note]').filter({ hasText: restarted }).filter({ hasText: 'mx-size-limit' }).last().waitFor({ state: 'attached', ...wait });
  assert.deepEqual(page.errors, []);
});

test('Devices: delete from the server after 14 days', async () => {
  const dialog = await openSettings('tab-devices');
  const bob = dialog.locator('[data-testid=settings-device][data-device="bob-laptop"]');
  await bob.getByTestId('settings-device-protocol-pop3').check();
  const leave = bob.getByTestId('settings-device-leave');
  if (!(await leave.isChecked())) await leave.check();
  const days = bob.getByTestId('settings-device-delete-after');
  await days.fill('14');
  await bob.getByTestId('settings-save-device').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await shot('devices-delete-after');
  await closeDialog('settings-dialog');
  const s = await api('worldSettings');
  assert.deepEqual(
    s.devices.filter((d) => d.name === 'bob-laptop').map((d) => [d.leaveOnServer, d.deleteAfterDays]),
    [[true, 14]],
  );
  assert.deepEqual(page.errors, []);
});
