// Viewer mode: the address without the token watches the teacher's run,
// has no controls, and the API refuses it anything that steers the run.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe } from './serve.mjs';
import { blur, catalog, launchBrowser, newPage, openApp, position, selectedLine, stepAtHead, wait } from './browser.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServe();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await srv?.stop();
  assert.equal(code, 0, `maillab serve did not exit cleanly:\n${srv?.output()}`);
});

async function stepToLine(page) {
  await blur(page);
  for (let i = 0; i < 30; i++) {
    await stepAtHead(page, () => page.keyboard.press(' '));
    const line = await selectedLine(page);
    if (line) return line;
  }
  assert.fail('no line after 30 steps');
}

test('viewer: watches the run, has no controls, the API says 403', async () => {
  const en = catalog('en');
  const teacher = await newPage(browser);
  await openApp(teacher, srv.controlUrl);
  // The token leaves the address bar (it would end up on a projected screen).
  assert.ok(!teacher.url().includes('token='), `token still in ${teacher.url()}`);
  await teacher.getByTestId('scenario').selectOption('send-pop3');
  await teacher.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  const first = await stepToLine(teacher);

  const viewer = await newPage(browser);
  const stepCalls = [];
  viewer.on('request', (r) => r.url().includes('/api/call/step') && stepCalls.push(r.url()));
  await openApp(viewer, srv.viewerUrl);

  // No controls, a notice instead.
  for (const id of ['scenario', 'play', 'reset', 'speed']) assert.equal(await viewer.getByTestId(id).count(), 0, `viewer has no ${id}`);
  await viewer.getByTestId('viewer-notice').filter({ hasText: en['ui.viewer.notice'] }).waitFor(wait);
  assert.equal(await teacher.getByTestId('viewer-notice').count(), 0);

  // The viewer sees the teacher's run at the same place.
  assert.equal(await position(viewer), await position(teacher));
  assert.deepEqual(await selectedLine(viewer), first);
  assert.equal(await viewer.getByTestId('step').isDisabled(), true, 'Step is off at the head for a viewer');

  // Space at the head asks the server for nothing.
  await blur(viewer);
  await viewer.keyboard.press(' ');
  await viewer.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  assert.deepEqual(stepCalls, []);

  // The teacher steps: the viewer follows.
  const second = await stepToLine(teacher);
  assert.notEqual(second.seq, first.seq);
  await viewer.getByTestId('position').filter({ hasText: new RegExp(`^${await position(teacher)}$`) }).waitFor(wait);
  assert.deepEqual(await selectedLine(viewer), second);

  // A viewer may look back through history; the teacher's view stays.
  const teacherPos = await position(teacher);
  await viewer.getByTestId('back').click();
  await viewer.getByTestId('position').filter({ hasText: en['ui.controls.history'] }).waitFor(wait);
  assert.equal(await position(teacher), teacherPos);

  // The API without the token: every control method is refused, reading is allowed.
  const answers = await viewer.evaluate(async () => {
    const out = {};
    for (const [m, args] of [
      ['step', []],
      ['start', ['tls']],
      ['reset', []],
      ['play', [100]],
      ['pause', []],
      ['run', []],
    ]) {
      const res = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args }) });
      out[m] = res.status;
    }
    return out;
  });
  assert.deepEqual(answers, { step: 403, start: 403, reset: 403, play: 403, pause: 403, run: 200 });
  assert.equal(await viewer.evaluate(() => sessionStorage.getItem('maillab.token')), null);

  // Nothing moved on the server: the teacher still waits at the same step, in the same lesson.
  const run = await (await fetch(`${srv.origin}/api/call/run`, { method: 'POST' })).json();
  assert.equal(run.result.scenario, 'send-pop3');
  assert.equal(run.result.mode, 'step');
  assert.equal(await position(teacher), teacherPos);
  assert.deepEqual(teacher.errors, []);
  assert.deepEqual(viewer.errors, []);
});
