// A teacher's own challenge in browser mode (#18): break the world in the
// World settings (DMARC p=reject stays, the DKIM key published is not the
// MSA's), make a challenge of it in the Challenges dialog (a goal chosen
// from the list, two hints), save it (the download is captured), go back
// to a clean world, open the file, read the task and the hints one at a
// time, check (not solved), fix the key in the settings, check again:
// solved, with the teacher's explanation.
// Screenshots go to /tmp/chedit (CHEDIT_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scan } from './a11y.mjs';
import { catalog, closeSession, newPage, openApp, openSession, wait } from './browser.mjs';

const shots = process.env.CHEDIT_SHOTS ?? '/tmp/chedit';
const en = catalog('en');

// Another key than the MSA's: every signature fails against it.
const wrongKey =
  'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDc2U8UiYMMQWx0s3NIa4K4JCoJBYn+XOyywvSE6ajMDi3oNlTSCEjX7IH3PP+chh2McsURhFhXvmNlzj7VrBulc6phR4cZFjPUSNrNPtSsEmL1fKhd+5TbkelTaaCiA505LL7aCt9kySWem5P7wGjUCOWUAVBIa3Bxw4MF2HlqhQIDAQAB';

const teacher = {
  title: 'Alice’s signature',
  task: 'Alice’s mail to Bob is refused. Find out why and make it arrive, signed.',
  hints: ['Read what the MX answered: the queue keeps it.', 'Compare the DKIM key in example.org’s zone with the key the MSA signs with.'],
  explanation: 'The zone published another DKIM key than the MSA’s: every signature failed, and DMARC p=reject made the MX refuse the mail.',
};

let srv;
let browser;
let page;
let saved = ''; // the file the first test saves

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

async function shot(p, name) {
  mkdirSync(shots, { recursive: true });
  const path = resolve(shots, `${name}.png`);
  await p.screenshot({ path, fullPage: false });
  return path;
}

async function api(method, args = []) {
  return srv.call(method, args);
}

/** setKey publishes key (''; the MSA's own) for example.org in the World settings and closes them; spf, when given, replaces the SPF record. */
async function setKey(key, spf) {
  await page.getByTestId('settings-open').click();
  const dialog = page.getByTestId('settings-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('settings-provider-example.org').click();
  await page.getByTestId('settings-section-dns').click();
  await page.getByTestId('settings-dns-dkimKey').fill(key);
  if (spf !== undefined) await page.getByTestId('settings-dns-spf').fill(spf);
  await page.getByTestId('settings-save-dns').click();
  await page.getByTestId('settings-status-text').filter({ hasText: en['ui.settings.saved'] }).waitFor(wait);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });
}

test('a teacher makes, saves and opens a challenge; the class fixes it in the settings', async () => {
  await openApp(page, srv.controlUrl);
  if ((await page.getByTestId('scenario').inputValue()) !== 'live') await page.getByTestId('scenario').selectOption('live');
  const clean = (await api('worldFile', [false])).body.result;
  assert.match(clean, /maillab-world: 1/);

  // Break the world: DMARC p=reject (the default), a DKIM key that is not the MSA's and no SPF record.
  await setKey(wrongKey, '');
  assert.equal((await api('dnsZone', ['example.org'])).body.result.dkim.key, wrongKey);

  // Make a challenge of the world as it is now.
  await page.getByTestId('challenge-open').click();
  const dialog = page.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-make').click();
  const editor = page.getByTestId('chedit');
  await editor.waitFor(wait);
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'chedit-title-input', null, wait);
  await page.keyboard.type(teacher.title);
  await page.keyboard.press('Tab');
  await page.keyboard.type(teacher.task);
  await page.getByTestId('chedit-explanation').fill(teacher.explanation);
  // the hints typed in the wrong order, then put right with the keyboard
  await page.getByTestId('chedit-hint-text-0').fill(teacher.hints[1]);
  await page.getByTestId('chedit-hint-add').press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'chedit-hint-text-1', null, wait);
  await page.keyboard.type(teacher.hints[0]);
  await page.getByTestId('chedit-hint-up-1').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('chedit-hint-text-0').inputValue(), teacher.hints[0]);
  await page.getByTestId('chedit-hint-add').click();
  await page.getByTestId('chedit-hint-remove-2').click();
  assert.equal(await page.getByTestId('chedit-hints').locator('li').count(), 2);
  // the goal: a mail from Alice reaches Bob and passes DKIM and DMARC
  assert.equal(await page.getByTestId('chedit-fact-delivered').isChecked(), true);
  assert.equal(await page.getByTestId('chedit-delivered-from').inputValue(), 'alice@example.org');
  assert.equal(await page.getByTestId('chedit-delivered-to').inputValue(), 'bob@example.net');
  await page.getByTestId('chedit-delivered-dkim').selectOption('pass');
  await page.getByTestId('chedit-delivered-dmarc').selectOption('pass');
  await shot(page, 'editor');
  await editor.getByTestId('chedit-goal').scrollIntoViewIfNeeded();
  await shot(page, 'editor-goal');
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical problem in the editor');

  const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByTestId('chedit-save').click()]);
  assert.equal(download.suggestedFilename(), 'maillab-challenge.yaml');
  const file = readFileSync(await download.path(), 'utf8');
  saved = file;
  assert.match(file, /^maillab-challenge: 1$/m, file);
  assert.ok(file.includes(wrongKey), 'the world as it is now, fault included');
  assert.match(file, /dkim: pass/);
  await page.getByTestId('chedit-status').filter({ hasText: 'maillab-challenge.yaml' }).waitFor(wait);
  await page.getByTestId('chedit-save').scrollIntoViewIfNeeded();
  await shot(page, 'editor-saved');

  // Another day: a clean world, then the file.
  await page.getByTestId('chedit-back').click();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });
  assert.equal((await api('openWorld', [clean])).status, 200);
  assert.equal((await api('dnsZone', ['example.org'])).body.result.dkim.key ?? '', '', 'the fault is gone');
  await page.reload();
  await page.locator('[data-testid=app][data-ready=true]').waitFor(wait);
  await page.getByTestId('challenge-open').click();
  await dialog.waitFor({ state: 'visible', ...wait });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', wait), page.getByTestId('challenge-open-file').click()]);
  await chooser.setFiles({ name: 'maillab-challenge.yaml', mimeType: 'application/yaml', buffer: Buffer.from(file) });
  await page.getByTestId('challenge-name').filter({ hasText: teacher.title }).waitFor(wait);
  assert.equal((await page.getByTestId('challenge-task').textContent()).trim(), teacher.task);
  assert.equal((await api('dnsZone', ['example.org'])).body.result.dkim.key, wrongKey, 'the file brought its broken world');
  await page.getByTestId('challenge-own').waitFor(wait);

  // Hints one at a time, in the teacher's order.
  const hints = page.getByTestId('challenge-hints').locator('li');
  await page.getByTestId('challenge-hint').click();
  await hints.first().waitFor(wait);
  assert.deepEqual((await hints.allTextContents()).map((s) => s.trim()), [teacher.hints[0]]);
  await page.getByTestId('challenge-hint').click();
  await hints.nth(1).waitFor(wait);
  assert.deepEqual((await hints.allTextContents()).map((s) => s.trim()), teacher.hints);
  assert.equal(await page.getByTestId('challenge-hint').isDisabled(), true, 'no third hint');

  // Check: refused, not solved.
  const result = page.getByTestId('challenge-result');
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.unsolved'] }).waitFor(wait);
  assert.match(await page.getByTestId('challenge-goal').textContent(), /550 5\.7\.1/, 'the MX refused it (DMARC)');
  assert.equal(await page.getByTestId('challenge-explanation').count(), 0);
  await shot(page, 'opened-unsolved');

  // Fix it in the settings: the MSA's own key again.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });
  await setKey('');
  await page.getByTestId('challenge-open').click();
  await dialog.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('challenge-check').click();
  await result.filter({ hasText: en['ui.challenge.solved'] }).waitFor(wait);
  assert.equal((await page.getByTestId('challenge-explanation').textContent()).trim(), teacher.explanation);
  await page.getByTestId('challenge-explanation').scrollIntoViewIfNeeded();
  await shot(page, 'opened-solved');
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical problem when solved');

  // The editor in German and Polish: every label from the catalogue.
  for (const lang of ['de', 'pl']) {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...wait });
    await page.getByTestId(`lang-${lang}`).click();
    const cat = catalog(lang);
    await page.getByTestId('challenge-open').filter({ hasText: cat['ui.challenge.open'] }).waitFor(wait);
    await page.getByTestId('challenge-open').click();
    await page.getByTestId('challenge-make').click();
    await page.getByTestId('chedit').locator('h3').filter({ hasText: cat['ui.chedit.title'] }).waitFor(wait);
    await page.getByTestId('chedit-fact-delivered').locator('..').filter({ hasText: cat['ui.chedit.fact.delivered'] }).waitFor(wait);
    await shot(page, `editor-${lang}`);
    await page.getByTestId('chedit-back').click();
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-en').click();
  assert.deepEqual(page.errors, []);
});

test('a ?challenge= link starts the file it names', async () => {
  assert.ok(saved, 'the first test saved a file');
  const p = await newPage(browser);
  // The school's web space, same origin (the page's security policy allows no other).
  await p.route((u) => u.pathname === '/class/7b-signature.yaml', (r) => r.fulfill({ status: 200, contentType: 'application/yaml', body: saved }));
  await openApp(p, `${srv.controlUrl}&challenge=/class/7b-signature.yaml`);
  const dialog = p.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  await p.getByTestId('challenge-name').filter({ hasText: teacher.title }).waitFor(wait);
  assert.equal(await p.getByTestId('challenge-hints').count(), 0, 'no hint shown yet');
  assert.equal(new URL(p.url()).searchParams.get('challenge'), null, 'browser mode drops the link from the address');
  assert.equal((await api('dnsZone', ['example.org'])).body.result.dkim.key, wrongKey, 'its broken world runs');
  assert.deepEqual(p.errors, []);
  await p.context().close();
});

test('a refused challenge file names the field and changes nothing', async () => {
  await openApp(page, srv.controlUrl);
  const before = (await api('run')).body.result.runId;
  await page.getByTestId('challenge-open').click();
  const dialog = page.getByTestId('challenge-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  const bad = 'maillab-challenge: 1\ntitle: x\ntask: y\nexplanation: z\nhints: [a, ""]\ntest: {device: alice-laptop, to: bob@example.net}\ngoal: {queue-empty: true}\nworld: {maillab-world: 1}\n';
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', wait), page.getByTestId('challenge-open-file').click()]);
  await chooser.setFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bad) });
  const err = page.getByTestId('challenge-open-error');
  await err.waitFor(wait);
  assert.match(await err.textContent(), /world\.providers/);
  assert.match(await page.getByTestId('challenge-open-status').textContent(), new RegExp(en['ui.chedit.open-failed'].replace(/[.;]/g, '.')));
  assert.equal((await api('run')).body.result.runId, before, 'nothing changed');
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});
