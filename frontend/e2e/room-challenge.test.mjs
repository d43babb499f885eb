// A room-wide challenge (#19) against two real `maillab serve`: the teacher
// hosts a room through the UI on 127.88.78.1 and hands out the shipped
// challenge mx-nowhere from the room screen; anna joins with the built
// binary's `classroom join` (127.88.78.2), cleo's Maillab (a second
// `maillab serve`) joins through its API, gets the challenge, fixes the
// MX in its World settings (setDNS, as the dialog does) and checks; the
// teacher's room map shows cleo solved, "1 of 2 solved". Then the teacher
// withdraws it. Screenshots in build/ (ROOM_SHOTS).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startServe } from './serve.mjs';
import { buildDir, launchBrowser, newPage, openApp, until, wait } from './browser.mjs';
import { scan } from './a11y.mjs';

const shots = process.env.ROOM_SHOTS ?? buildDir;
mkdirSync(shots, { recursive: true });
const cas = mkdtempSync(joinPath(tmpdir(), 'maillab-room-challenge-'));
const bin = process.env.MAILLAB_BIN;
const hostIP = '127.88.78.1';
const offset = 20000 + 100 * Math.floor(Math.random() * 150);

let teacher;
let student;
let browser;
let anna;

before(async () => {
  [teacher, student] = await Promise.all([startServe(), startServe()]);
  browser = await launchBrowser();
});
after(async () => {
  if (anna && anna.exitCode === null) {
    anna.kill('SIGINT');
    await new Promise((r) => anna.once('exit', r));
  }
  await browser?.close();
  await Promise.all([teacher?.stop(), student?.stop()]);
  rmSync(cas, { recursive: true, force: true });
});

/** call calls a method of a serve's API with its control token. */
async function call(srv, method, ...args) {
  const res = await fetch(`${srv.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'X-Maillab-Token': srv.token },
    body: JSON.stringify({ args }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `${method}: ${JSON.stringify(body)}`);
  return body.result;
}

/** join runs `maillab classroom join` and resolves once the student is in the room. */
function join(name, n, code) {
  const child = spawn(bin, ['classroom', 'join', `${hostIP}:7625`, '--code', code, '--name', name, '--bind', `127.88.78.${n}`,
    '--ca-file', `${cas}/ca-${name}.pem`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} never joined:\n${out}`)), 30_000);
    const read = (c) => {
      out += c;
      // The challenge is printed through to the line after its checks (it may come in more than one piece).
      if (out.includes('Ctrl-C and join again from the Maillab app')) {
        clearTimeout(timer);
        resolve({ child, out: () => out });
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out}`)));
  });
}

test('the teacher hands out a challenge, a student solves it, the room map shows it', async () => {
  const page = await newPage(browser, { size: { width: 1280, height: 720 } });
  await openApp(page, teacher.controlUrl);
  await page.getByTestId('room-open').click();
  await page.getByTestId('room-form').waitFor(wait);
  await page.getByTestId('room-bind').fill(hostIP);
  await page.getByTestId('room-offset').fill(String(offset));
  await page.getByTestId('room-host').click();
  await page.getByTestId('room-code').waitFor(wait);
  const code = (await page.getByTestId('room-code').textContent()).trim();

  // Hand out a shipped challenge from the room screen.
  await page.getByTestId('room-challenge-select').selectOption('mx-nowhere');
  await page.screenshot({ path: `${shots}/e2e-room-challenge-control-1280x720.png` });
  await page.getByTestId('room-challenge-hand-out').click();
  await page.getByTestId('room-challenge-title').waitFor(wait);
  assert.match(await page.getByTestId('room-challenge-title').textContent(), /Challenge: The MX that is not there/);

  // anna's command line prints it with its checks.
  const a = await join('anna', 2, code);
  anna = a.child;
  assert.match(a.out(), /⚑ The room's challenge: The MX that is not there/);
  assert.match(a.out(), / {2}- A mail from alice@example\.org is in the inbox of bob@example\.net/);

  // cleo's Maillab joins: the join brings the challenge, the room provider runs beside it.
  const joined = await call(student, 'joinRoom', `${hostIP}:7625`, code, 'cleo', 'en');
  assert.equal(joined.domain, 'cleo.room.test');
  let st = await call(student, 'challengeStatus', 'en');
  assert.equal(st.id, 'mx-nowhere');
  assert.equal(st.room, true);
  st = await call(student, 'checkChallenge', 'en');
  assert.equal(st.met, false);
  const zone = await call(student, 'dnsZone', 'example.net');
  zone.mx[0].host = 'mx.example.net';
  await call(student, 'setDNS', 'example.net', zone);
  st = await call(student, 'checkChallenge', 'en');
  assert.equal(st.met, true, JSON.stringify(st.goal));
  assert.equal(st.reported, true);
  assert.equal((await call(student, 'roomStatus', 'en')).joined, true, 'cleo is still in the room');

  // The teacher's map: cleo solved, in words and a sign; anna not; 1 of 2.
  await page.locator('[data-testid="room-node"][data-domain="cleo.room.test"] [data-testid="room-node-solved"]').waitFor(wait);
  await page.waitForFunction(() => document.querySelector('[data-testid="room-solved-count"]')?.textContent?.includes('1 of 2 solved'), null, wait);
  assert.equal(await page.locator('[data-testid="room-node-solved"]').count(), 1);
  assert.match(await page.locator('[data-testid="room-node-solved"]').textContent(), /★ solved/);
  assert.match(await page.getByTestId('room-events').textContent(), /cleo\.room\.test solved the challenge/);
  await page.screenshot({ path: `${shots}/e2e-room-challenge-1280x720.png` });
  assert.deepEqual(await scan(page), [], 'axe: the room with its challenge, no serious or critical violations');

  // cleo's own window: the Challenges dialog shows the room's challenge, solved and reported.
  const mine = await newPage(browser, { size: { width: 1280, height: 720 } });
  await openApp(mine, student.controlUrl);
  await mine.getByTestId('challenge-open').click();
  await mine.getByTestId('challenge-room').waitFor(wait);
  await mine.getByTestId('challenge-check').click();
  await mine.getByTestId('challenge-reported').waitFor(wait);
  assert.match(await mine.getByTestId('challenge-reported').textContent(), /The room map shows that you solved it/);
  await mine.screenshot({ path: `${shots}/e2e-room-challenge-student-1280x720.png` });
  assert.deepEqual(mine.errors, []);
  await mine.close();

  // Withdrawn: the control comes back, cleo's Maillab drops the room's challenge.
  await page.getByTestId('room-challenge-withdraw').click();
  await page.getByTestId('room-challenge-select').waitFor(wait);
  assert.equal(await page.locator('[data-testid="room-node-solved"]').count(), 0);
  await until(async () => (await call(student, 'challengeStatus', 'en')).id === '', "cleo's Maillab drops the withdrawn challenge");
  await until(() => a.out().includes("The room's challenge was withdrawn."), 'anna hears of the withdrawal');
  assert.deepEqual(page.errors, []);
  await page.close();
});
