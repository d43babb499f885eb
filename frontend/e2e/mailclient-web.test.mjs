// The mail client in the web edition (make web): the whole world runs in
// the page's worker. In the live world (instant) Alice's laptop sends Bob
// a photo over 465; Bob's phone checks mail over IMAP, lists the folders,
// and opening the message fetches it whole: the attachment's name shows
// and the message counts as read.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDir, catalog, launchBrowser, newPage, wait } from './browser.mjs';
import { serveStatic } from './static.mjs';

const webDir = resolve(buildDir, 'web');
const shots = process.env.MAILCLIENT_SHOTS ?? '/tmp/mailclient';
let srv;
let browser;
let page;

before(async () => {
  assert.ok(existsSync(resolve(webDir, 'index.html')), `no web edition in ${webDir}: run make web`);
  srv = await serveStatic(webDir);
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('web edition: send over 465 with a photo, check and open it on Bob’s phone over IMAP', async () => {
  const en = catalog('en');
  await page.goto(srv.origin + '/');
  await page.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 60_000 });
  await page.getByTestId('scenario').selectOption('live');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);

  await page.getByTestId('mailclient-open').click();
  const dlg = page.getByTestId('mailclient');
  await dlg.waitFor({ state: 'visible', ...wait });
  await page.getByTestId('mailclient-device').selectOption('alice-laptop');
  await page.getByTestId('mailclient-subject').fill('Ein Foto aus Kraków');
  await page.getByTestId('mailclient-sample-photo.png').check();
  await page.getByTestId('mailclient-route-465').check();
  await page.getByTestId('mailclient-send').click();
  await page.getByTestId('mailclient-notice').filter({ hasText: en['ui.mailclient.started-instant'] }).waitFor(wait);

  await page.getByTestId('mailclient-device').selectOption('bob-phone');
  await page.getByTestId('mailclient-tab-inbox').click();
  const row = page.getByTestId('mailclient-message').filter({ hasText: 'Ein Foto aus Kraków' });
  // The queue runs after the submission; check until the mail is there.
  const deadline = Date.now() + 60_000;
  while (!(await row.count())) {
    assert.ok(Date.now() < deadline, 'the mail reached Bob’s phone');
    await page.getByTestId('mailclient-check').click({ timeout: 2000 }).catch(() => {}); // disabled while a check runs
    await page.waitForTimeout(500);
  }
  await page.getByTestId('mailclient-folders').waitFor(wait);
  assert.match(await page.getByTestId('mailclient-folders').textContent(), /INBOX/);
  const state = async () => (await row.locator('td').nth(3).textContent()).replace(/\s+/g, ' ').trim();
  assert.equal(await state(), `${en['ui.mailclient.unread']} · ${en['ui.mailclient.on-server']}`);
  await row.getByTestId('mailclient-open-message').click();
  await row.getByTestId('mailclient-attachments').filter({ hasText: 'photo.png' }).waitFor(wait);
  assert.equal(await row.getByTestId('mailclient-open-message').count(), 0, 'the phone has it whole now');
  assert.equal(await state(), `${en['ui.mailclient.read']} · ${en['ui.mailclient.on-server']}`, 'FETCH BODY[] set \\Seen');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/web-phone.png` });
  assert.deepEqual(page.errors, []);
});
