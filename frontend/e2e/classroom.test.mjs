// A student joins a classroom from the app: a real `maillab classroom
// host` on 127.88.60.1 (Linux routes all of 127/8 to loopback), the real
// `maillab serve`, the Classroom dialog. Joined, the dialog shows the
// student's provider and account; the topology gets the provider's frame;
// a mail from the student's laptop to herself goes through the room DNS,
// whose node then appears; Leave takes it all away again.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { closeSession, openApp, openSession, wait } from './browser.mjs';

const shots = process.env.ROOM_SHOTS ?? '/tmp/classroom';
const hostIP = '127.88.60.1';
const joinPort = 17000 + Math.floor(Math.random() * 900);

let srv;
let browser;
let page;
let host;
let hostOut = '';

before(async () => {
  host = spawn(process.env.MAILLAB_BIN, ['classroom', 'host', '--room', 'room42', '--bind', hostIP, '--code', 'K7Q-M4P',
    '--join-port', String(joinPort), '--dns-port', String(joinPort + 1000), '--port-offset', String(41000 + Math.floor(Math.random() * 20) * 100)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  host.stdout.setEncoding('utf8').on('data', (c) => (hostOut += c));
  host.stderr.setEncoding('utf8').on('data', (c) => (hostOut += c));
  for (let i = 0; i < 200 && !hostOut.includes('Room map'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(hostOut, /Room map/, hostOut);
  ({ srv, browser, page } = await openSession());
});
after(async () => {
  await closeSession(srv, browser);
  host?.kill('SIGTERM');
});

// ehlo greets an MX and returns its EHLO reply.
function ehlo(host, port) {
  return new Promise((res, rej) => {
    const c = connect({ host, port });
    let buf = '';
    let greeted = false;
    c.setEncoding('utf8');
    c.on('error', rej);
    c.on('data', (d) => {
      buf += d;
      if (!greeted && /^220 .*\r\n/m.test(buf)) {
        greeted = true;
        buf = '';
        c.write('EHLO classmate.example\r\n');
      } else if (greeted && /^250 .*\r\n/m.test(buf)) {
        c.end('QUIT\r\n');
        res(buf);
      }
    });
  });
}

async function call(method, ...args) {
  const headers = { 'Content-Type': 'application/json', 'X-Maillab-Token': srv.token };
  const res = await fetch(`${srv.origin}/api/call/${method}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
  return { ok: res.ok, body: await res.json() };
}

test('join a classroom from the dialog, mail through the room, leave', async () => {
  mkdirSync(shots, { recursive: true });
  await openApp(page, srv.controlUrl);
  await page.getByTestId('classroom-open').click();
  const dialog = page.getByTestId('classroom-dialog');
  await dialog.waitFor(wait);

  // A wrong code: the host's refusal, in words.
  await page.getByTestId('classroom-address-input').fill(`${hostIP}:${joinPort}`);
  await page.getByTestId('classroom-code-input').fill('AAA-AAA');
  await page.getByTestId('classroom-name-input').fill('anna');
  await page.getByTestId('classroom-join').click();
  await page.getByTestId('classroom-error').waitFor(wait);
  assert.equal(await page.getByTestId('classroom-error').textContent(), 'Wrong room code. Type the code your teacher shows.');

  await page.getByTestId('classroom-code-input').fill('k7q-m4p');
  await page.getByTestId('classroom-join').click();
  await page.getByTestId('classroom-domain').waitFor(wait);
  assert.equal(await page.getByTestId('classroom-domain').textContent(), 'anna.room42.test');
  assert.equal(await page.getByTestId('classroom-account').textContent(), 'anna@anna.room42.test');
  await page.screenshot({ path: resolve(shots, 'joined-dialog.png') });
  for (let i = 0; i < 100 && !hostOut.includes('+ anna.room42.test joined'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(hostOut, /\+ anna\.room42\.test joined/);

  await page.getByTestId('classroom-close').click();
  const topo = page.getByTestId('topology');
  await topo.locator('[data-frame="anna.room42.test"]').waitFor(wait);
  await topo.locator('[data-node="anna-laptop"]').waitFor(wait);

  const sent = await call('compose', { lang: 'en', device: 'anna-laptop', to: ['anna@anna.room42.test'], subject: 'Hello room', body: 'Through the room DNS', route: '587' });
  assert.ok(sent.ok, JSON.stringify(sent.body));
  await topo.locator('[data-node="room-dns"]').waitFor(wait);
  await topo.locator('[data-node="room"]').waitFor(wait);
  await page.screenshot({ path: resolve(shots, 'classroom-topology.png') });
  // The transcript has the MTA's query to the room DNS (asked of the API: the transcript shows only the lines in view).
  const events = [];
  for (let since = 0, more = true; more; ) {
    const { body } = await call('events', since, 0);
    events.push(...body.result.events);
    more = body.result.more;
    since = body.result.events.at(-1)?.seq ?? since;
  }
  assert.ok(events.some((e) => e.server === 'room-dns' && e.text === 'QUERY MX anna.room42.test.'), 'the MX query to the room DNS');
  assert.deepEqual(page.errors, []);

  // The World settings' DNS tab of the room provider publishes in the room DNS.
  await page.getByTestId('settings-open').click();
  await page.getByTestId('settings-provider-anna.room42.test').click();
  await page.getByTestId('settings-section-dns').click();
  const spf = page.getByTestId('settings-dns-spf');
  assert.match(await spf.inputValue(), /^v=spf1 ip4:\S+ -all$/);
  await spf.fill('v=spf1 ip4:192.0.2.1 -all');
  await page.getByTestId('settings-save-dns').click();
  const resolver = new Resolver();
  resolver.setServers([`${hostIP}:${joinPort + 1000}`]);
  let txt = [];
  for (let i = 0; i < 100 && txt.join() !== 'v=spf1 ip4:192.0.2.1 -all'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    txt = (await resolver.resolveTxt('anna.room42.test')).map((r) => r.join(''));
  }
  assert.deepEqual(txt, ['v=spf1 ip4:192.0.2.1 -all'], 'the room DNS has the SPF record from the settings');
  await page.screenshot({ path: resolve(shots, 'classroom-settings-dns.png') });

  // Its policy tab: the room's no-relay rule in words; STARTTLS off
  // restarts its MX on the same LAN address and room port, without STARTTLS.
  const st = (await call('roomStatus', 'en')).body.result;
  assert.match(await ehlo(st.address, st.ports.smtp), /^250-STARTTLS\r$/m);
  await page.getByTestId('settings-section-policy').click();
  await page.getByTestId('settings-room-relay').waitFor(wait);
  assert.equal(await page.getByTestId('settings-relay').count(), 0);
  await page.getByTestId('settings-starttls-off').check();
  await page.getByTestId('settings-save-policy').click();
  await page.getByTestId('settings-status-text').waitFor(wait);
  assert.equal(await page.getByTestId('settings-status-text').textContent(), 'Done. The transcript shows the change.');
  assert.doesNotMatch(await ehlo(st.address, st.ports.smtp), /STARTTLS/);
  await page.screenshot({ path: resolve(shots, 'classroom-settings-policy.png') });
  await page.keyboard.press('Escape');

  await page.getByTestId('classroom-open').click();
  await page.getByTestId('classroom-leave').click();
  await page.getByTestId('classroom-join').waitFor(wait);
  for (let i = 0; i < 100 && !hostOut.includes('- anna.room42.test left'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(hostOut, /- anna\.room42\.test left the room/);
  await page.getByTestId('classroom-close').click();
  await topo.locator('[data-frame="anna.room42.test"]').waitFor({ state: 'detached', ...wait });
});
