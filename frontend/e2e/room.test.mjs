// The room screen (#19) against the real `maillab serve`: the teacher
// hosts a room through the UI on 127.88.77.1, two students join with the
// built binary's `classroom join` on 127.88.77.2 and .3 (Linux routes all
// of 127/8 to loopback; root binds the room DNS on 53), anna mails ben
// with Python's smtplib over STARTTLS with the room CA, and the screen
// shows both providers and the delivery. Then a room of 30 (the screen's
// data from a fixture) is measured from the DOM at 1280×720: no node box
// touches another and every name is readable. Screenshots in build/ (ROOM_SHOTS).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startServe } from './serve.mjs';
import { buildDir, closeSession, launchBrowser, newPage, openApp, wait } from './browser.mjs';
import { scan } from './a11y.mjs';

const shots = process.env.ROOM_SHOTS ?? buildDir;
mkdirSync(shots, { recursive: true });
// The room CA's certificate each student writes.
const cas = mkdtempSync(joinPath(tmpdir(), 'maillab-room-'));
const bin = process.env.MAILLAB_BIN;
const hostIP = '127.88.77.1';
// An offset of its own per run: the students' servers never meet another test's.
const offset = 20000 + 100 * Math.floor(Math.random() * 150);

let srv;
let browser;
const students = [];

before(async () => {
  srv = await startServe();
  browser = await launchBrowser();
});
after(async () => {
  for (const s of students) s.kill('SIGINT');
  await Promise.all(students.map((s) => new Promise((r) => (s.exitCode !== null ? r() : s.once('exit', r)))));
  await closeSession(srv, browser);
  rmSync(cas, { recursive: true, force: true });
});

/** join runs `maillab classroom join` and resolves once the student is in the room. */
function join(name, n, code) {
  const child = spawn(bin, ['classroom', 'join', `${hostIP}:7625`, '--code', code, '--name', name, '--bind', `127.88.77.${n}`,
    '--password', `pw-${name}`, '--ca-file', `${cas}/ca-${name}.pem`, '--retry', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  students.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} never joined:\n${out}`)), 30_000);
    const read = (c) => {
      out += c;
      if (out.includes('You are in the room')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out}`)));
  });
}

/** send submits a mail as a mail client does: STARTTLS on the submission port, the room CA, AUTH. */
function send(from, to, n) {
  const py = `
import smtplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
with smtplib.SMTP(sys.argv[2], int(sys.argv[3]), local_hostname="laptop", timeout=20) as s:
    s.starttls(context=ctx)  # the certificate names the address too
    s.login(sys.argv[5], sys.argv[6])
    s.sendmail(sys.argv[5], [sys.argv[7]], "From: <%s>\\r\\nTo: <%s>\\r\\nSubject: hello\\r\\n\\r\\nHello across the room\\r\\n" % (sys.argv[5], sys.argv[7]))
`;
  const r = spawnSync('python3', ['-c', py, `${cas}/ca-${from}.pem`, `127.88.77.${n}`, String(offset + 587), `smtp.${from}.room.test`,
    `${from}@${from}.room.test`, `pw-${from}`, `${to}@${to}.room.test`], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
}

test('host a room from the UI, two students join, a delivery crosses the map', async () => {
  const page = await newPage(browser, { size: { width: 1280, height: 720 } });
  await openApp(page, srv.controlUrl);
  await page.getByTestId('room-open').click();
  await page.getByTestId('room-form').waitFor(wait);
  await page.getByTestId('room-bind').fill(hostIP);
  await page.getByTestId('room-offset').fill(String(offset));
  await page.getByTestId('room-host').click();
  const codeEl = page.getByTestId('room-code');
  await codeEl.waitFor(wait);
  const code = (await codeEl.textContent()).trim();
  assert.match(code, /^[A-Z0-9-]{4,}$/);
  assert.match(await page.getByTestId('room-command').textContent(), new RegExp(`maillab classroom join ${hostIP.replaceAll('.', '\\.')}:7625 --code ${code} --name YOUR-NAME`));
  assert.match(await page.getByTestId('room-ports').textContent(), new RegExp(`MX ${offset + 25}`));
  const qrRects = await page.locator('[data-testid="room-qr"] rect').count();
  assert.ok(qrRects > 50, `the QR code is drawn (${qrRects} rects)`);

  await join('anna', 2, code);
  await join('ben', 3, code);
  await page.locator('[data-testid="room-node"]').nth(1).waitFor(wait);
  assert.deepEqual(await page.locator('[data-testid="room-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-domain'))), [
    'anna.room.test',
    'ben.room.test',
  ]);

  send('anna', 'ben', 2);
  await page.locator('[data-testid="room-flight"][data-outcome="delivered"]').waitFor(wait);
  await page.waitForFunction(() => document.querySelector('[data-testid="room-count-delivered"]')?.textContent?.includes(': 1'), null, wait);
  assert.match(await page.getByTestId('room-deliveries').textContent(), /1 delivery/);
  assert.match(await page.getByTestId('room-events').textContent(), /anna\.room\.test → ben\.room\.test: delivered \(2\.\d\.\d\)/);
  await page.waitForFunction(() => /anna\.room\.test → ben\.room\.test/.test(document.querySelector('[data-testid="room-live"]')?.textContent ?? ''), null, wait);
  await page.screenshot({ path: `${shots}/e2e-room-1280x720.png` });
  assert.deepEqual(await scan(page), [], 'axe: the open room, no serious or critical violations');

  // The list of events scrolls with the keys: it takes the focus.
  await page.getByTestId('room-events').focus();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'room-events');
  // Escape leaves the screen; the room stays open.
  await page.keyboard.press('Escape');
  await page.getByTestId('room').waitFor({ state: 'detached', ...wait });

  // In presenter mode, dark, on the projector's 1280×720: everything on the screen, nothing scrolls.
  await page.getByTestId('presenter').click();
  await page.getByTestId('theme').click();
  await page.getByTestId('room-open').click();
  await page.getByTestId('room-code').waitFor(wait);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="room-node"]').length === 2, null, wait);
  const fits = await page.evaluate(() =>
    ['room-code', 'room-command', 'room-qr', 'room-map', 'room-events', 'room-counts'].map((id) => {
      const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
      return { id, inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight && r.width > 0 && r.height > 0 };
    }),
  );
  assert.deepEqual(fits.filter((f) => !f.inside), [], 'every part of the room screen is on the projector');
  const codePx = await page.getByTestId('room-code').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(codePx >= 40, `the room code is large: ${codePx} px`);
  await page.screenshot({ path: `${shots}/e2e-room-presenter-dark-1280x720.png` });
  assert.deepEqual(await scan(page), [], 'axe: presenter mode, dark');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('30 students: every node readable, none touching, at 1280×720', async () => {
  const page = await newPage(browser, { size: { width: 1280, height: 720 } });
  const nodes = Array.from({ length: 30 }, (_, i) => {
    const name = `student-${String(i + 1).padStart(2, '0')}`;
    return { name, domain: `${name}.room42.test`, address: `10.0.0.${i + 2}`, online: i % 7 !== 3, waiting: i === 3 || i === 4, silent: i === 8 || i === 20, joined: new Date().toISOString(), sent: 0, received: 0 };
  });
  const screen = {
    open: true, lan: '10.0.0.1', room: 'room42', zone: 'room42.test', code: 'K7Q-M4P', joinAddress: '10.0.0.1:7625',
    joinLink: 'http://10.0.0.1:7625/?code=K7Q-M4P', joinCommand: 'maillab classroom join 10.0.0.1:7625 --code K7Q-M4P --name YOUR-NAME',
    dns: '10.0.0.1:53', ports: { offset: 10000, smtp: 10025, submission: 10587, submissions: 10465, pop3: 10110, pop3s: 10995, imap: 10143, imaps: 10993 },
    portsLine: 'MX 10025', qr: Array.from({ length: 29 }, (_, y) => Array.from({ length: 29 }, (_, x) => (x * y + x) % 3 === 0)), nodes,
    counts: { deliveries: 3, delivered: 1, deferred: 1, bounced: 0, refused: 1, online: 24, silent: 2 },
    entries: [
      { seq: 1, kind: 'delivery', time: new Date().toISOString(), from: nodes[0].domain, to: nodes[17].domain, outcome: 'delivered', status: '2.0.0' },
      { seq: 2, kind: 'delivery', time: new Date().toISOString(), from: nodes[5].domain, to: nodes[3].domain, outcome: 'deferred', status: '4.4.1' },
      { seq: 3, kind: 'delivery', time: new Date().toISOString(), from: nodes[29].domain, to: nodes[12].domain, outcome: 'refused', status: '5.7.26' },
      { seq: 4, kind: 'silent', time: new Date().toISOString(), domain: nodes[8].domain },
    ],
    last: 4, more: false,
  };
  await page.route('**/api/call/roomScreen', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ result: screen }) }));
  await openApp(page, srv.viewerUrl);
  await page.getByTestId('room-open').click();
  await page.locator('[data-testid="room-node"]').nth(29).waitFor(wait);
  await page.locator('[data-testid="room-flight"]').nth(2).waitFor(wait);
  assert.notEqual(await page.locator('[data-testid="room-flight"] path').first().evaluate((e) => getComputedStyle(e).animationName), 'none');
  // Reduced motion: the arrows stand still (they still come and go).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.equal(await page.locator('[data-testid="room-flight"] path').first().evaluate((e) => getComputedStyle(e).animationName), 'none');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const boxes = await page.locator('[data-testid="room-node"]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.querySelector('rect').getBoundingClientRect();
      const name = e.querySelector('.name').getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, nameH: name.height, nameW: name.width };
    }),
  );
  assert.equal(boxes.length, 30);
  for (let i = 0; i < 30; i++) {
    const a = boxes[i];
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.w <= 1280 && a.y + a.h <= 720, `node ${i} is on the screen`);
    assert.ok(a.nameH >= 12, `node ${i}'s name is readable: ${a.nameH.toFixed(1)} px high`);
    assert.ok(a.nameW <= a.w, `node ${i}'s name fits its box`);
    for (let j = i + 1; j < 30; j++) {
      const b = boxes[j];
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `nodes ${i} and ${j} do not touch`);
    }
  }
  const states = await page.locator('[data-testid="room-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.equal(states.filter((s) => s === 'offline').length, 4);
  assert.deepEqual(states.map((s, i) => [s, i]).filter(([s]) => s === 'waiting'), [['waiting', 4]], 'an offline node is offline, waited for or not');
  assert.deepEqual(states.map((s, i) => [s, i]).filter(([s]) => s === 'silent'), [['silent', 8], ['silent', 20]], 'not answering, in words and a sign');
  assert.equal(await page.locator('[data-testid="room-node"][data-state="silent"] .state').first().textContent(), '? not answering');
  assert.match(await page.getByTestId('room-count-silent').textContent(), /2 not answering/);
  assert.match(await page.getByTestId('room-events').textContent(), /student-09\.room42\.test is not answering/);
  assert.equal(await page.getByTestId('room-none').count(), 0);
  await page.screenshot({ path: `${shots}/e2e-room-30-1280x720.png` });
  assert.deepEqual(await scan(page), [], 'axe: 30 providers, no serious or critical violations');
  assert.deepEqual(page.errors, []);
  await page.close();
});
