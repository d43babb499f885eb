// Troubleshooting challenges in browser mode (#18): the teacher opens the
// Challenges dialog from the toolbar with the keyboard, starts "Bob's
// mailbox is full", checks it (the Go side sends the test mail: it bounces
// with 552 5.2.2), reveals a hint, fixes the world through the World file
// dialog (saves the file, raises Bob's quota in its text, opens it again)
// and checks again: solved, with the explanation.
// Screenshots go to /tmp/challenges (CHALLENGE_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { focusRing, scan } from './a11y.mjs';
import { blur, catalog, closeSession, openApp, openSession, wait } from './browser.mjs';

const shots = process.env.CHALLENGE_SHOTS ?? '/tmp/challenges';
const en = catalog('en');

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

async function shot(p, name) {
  mkdirSync(shots, { recursive: true });
  const path = resolve(shots, `${name}.png`);
  await p.screenshot({ path });
  return path;
}

async function api(method, args = [], token = '') {
  return srv.call(method, args, token);
}

test('challenge: start, check (unsolved), hint, fix in the World file, check (solved)', async () => {
  await openApp(page, srv.controlUrl);

  // Keyboard: Tab through the toolbar to the button (its ring shows), Enter opens the dialog.
  await blur(page);
  const stops = [];
  for (let i = 0; i < 90 && stops.at(-1) !== 'challenge-open'; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName));
  }
  assert.equal(stops.at(-1), 'challenge-open', `Tab never reached the Challenges button: ${stops.join(', ')}`);
  const ring = await focusRing(page);
  assert.ok(ring.ok, `${ring.who}: ${ring.why}`);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
  assert.equal(await dialog.locator('h2').textContent(), en['ui.challenge.title']);
  const items = page.getByTestId('challenge-list').locator('li');
  await items.nth(7).waitFor(wait);
  assert.ok((await items.count()) >= 8, 'at least eight challenges');
  assert.equal(await page.getByTestId('challenge-detail').textContent().then((t) => t.trim()), en['ui.challenge.none']);
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'challenge-start-mx-nowhere', null, wait);
  await shot(page, 'list');

  // Start one: its broken world runs live.
  const start = page.getByTestId('challenge-start-mailbox-full');
  assert.equal((await start.textContent()).trim(), en['challenge.mailbox-full.title']);
  await start.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('challenge-name').filter({ hasText: en['challenge.mailbox-full.title'] }).waitFor(wait);
  assert.equal((await page.getByTestId('challenge-task').textContent()).trim(), en['challenge.mailbox-full.task']);
  const run = (await api('run')).body.result;
  assert.equal(run.scenario, 'live');
  assert.equal(run.world, 'Challenge: Bob’s mailbox is full');
  assert.equal(await start.getAttribute('aria-current'), 'true');

  // Check: the test mail bounces; the goal is not met, with what was found.
  const result = page.getByTestId('challenge-result');
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.unsolved'] }).waitFor(wait);
  const goal = page.getByTestId('challenge-goal');
  assert.match(await goal.textContent(), /552 5\.2\.2/, 'the bounce reply is shown');
  assert.equal(await page.getByTestId('challenge-explanation').count(), 0, 'no explanation before it is solved');
  const bad = await result.locator('p').first().evaluate((e) => getComputedStyle(e).color);

  // Hints one at a time.
  await page.getByTestId('challenge-hint').click();
  await page.getByTestId('challenge-hints').locator('li').first().waitFor(wait);
  assert.equal(await page.getByTestId('challenge-hints').locator('li').count(), 1);
  assert.equal((await page.getByTestId('challenge-hints').locator('li').first().textContent()).trim(), en['challenge.mailbox-full.hint.1']);
  await page.getByTestId('challenge-hint').click();
  await page.getByTestId('challenge-hints').locator('li').nth(1).waitFor(wait);
  assert.equal(await page.getByTestId('challenge-hints').locator('li').count(), 2);
  const status = (await api('challengeStatus', ['en'])).body.result;
  assert.equal(status.hints.length, 2, 'the server keeps the hints shown');
  await shot(page, 'unsolved');
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical problem in the dialog');

  // Fix it as a learner does: the World file dialog, save, edit Bob's quota, open the file again.
  await page.getByTestId('challenge-world').click();
  await dialog.waitFor({ state: 'hidden', ...wait });
  const world = page.getByTestId('world-dialog');
  await world.waitFor({ state: 'visible', ...wait });
  const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByTestId('world-save').click()]);
  const saved = readFileSync(await download.path(), 'utf8');
  assert.match(saved, /quota: 1KiB/, saved);
  const fixed = saved.replace('quota: 1KiB', 'quota: 10MiB');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', wait), page.getByTestId('world-open-file').click()]);
  await chooser.setFiles({ name: 'fixed.yaml', mimeType: 'application/yaml', buffer: Buffer.from(fixed) });
  await page.getByTestId('world-status').filter({ hasText: 'Challenge: Bob’s mailbox is full' }).waitFor(wait);
  await page.getByTestId('world-close').click();
  await world.waitFor({ state: 'hidden', ...wait });

  // Check again: solved, with the explanation; the hints stay.
  await page.getByTestId('challenge-open').click();
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.solved'] }).waitFor(wait);
  const explanation = page.getByTestId('challenge-explanation');
  await explanation.waitFor(wait);
  assert.equal((await explanation.textContent()).trim(), en['challenge.mailbox-full.explanation']);
  assert.equal(await page.getByTestId('challenge-hints').locator('li').count(), 2);
  const marks = await goal.locator('.mark').allTextContents();
  assert.deepEqual(marks, ['✓', '✓'], 'every fact met, marked by a sign, not colour alone');
  const good = await result.locator('p').first().evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(good, bad, 'solved and unsolved look different');
  const b = await dialog.boundingBox();
  const v = page.viewportSize();
  assert.ok(b.y >= 0 && b.y + b.height <= v.height + 0.5, 'the dialog fits the window');
  await explanation.scrollIntoViewIfNeeded();
  await shot(page, 'solved');
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical problem when solved');

  // German and Polish: the same challenge in the learner's language, and the dialog fits the window.
  for (const [lang, solved] of [['de', 'Gelöst.'], ['pl', 'Rozwiązane.']]) {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...wait });
    await page.getByTestId(`lang-${lang}`).click();
    const cat = catalog(lang);
    await page.getByTestId('challenge-open').filter({ hasText: cat['ui.challenge.open'] }).waitFor(wait);
    await page.getByTestId('challenge-open').click();
    await page.getByTestId('challenge-name').filter({ hasText: cat['challenge.mailbox-full.title'] }).waitFor(wait);
    await page.getByTestId('challenge-explanation').filter({ hasText: solved }).waitFor(wait);
    const d = await dialog.boundingBox();
    assert.ok(d.y >= 0 && d.y + d.height <= v.height + 0.5 && d.x >= 0 && d.x + d.width <= v.width + 0.5, `${lang}: the dialog fits the window`);
    await shot(page, `solved-${lang}`);
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-en').click();
  assert.deepEqual(page.errors, []);
});
