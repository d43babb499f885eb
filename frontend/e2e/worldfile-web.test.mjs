// World files in the web edition (#18): the whole world runs in the page,
// so saving is a download of what the worker's Go side writes, and a link
// ?world=URL opens a world file from the school's web server on start (the
// address keeps it: a reload starts the same world again). A file with
// mistakes opens the World file dialog with each wrong field and its line.
// Screenshots go to /tmp/worldui (WORLDUI_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDir, catalog, launchBrowser, newPage, wait } from './browser.mjs';
import { serveStatic } from './static.mjs';

const webDir = resolve(buildDir, 'web');
const shots = process.env.WORLDUI_SHOTS ?? '/tmp/worldui';
const en = catalog('en');
const fill = (s, params) => s.replace(/\{(\w+)\}/g, (_, k) => params[k]);

let srv;
let browser;
// The files on the "school web server" beside the web edition, filled in by the test.
const overrides = {};

before(async () => {
  assert.ok(existsSync(resolve(webDir, 'index.html')), `no web edition in ${webDir}: run make web`);
  srv = await serveStatic(webDir, { overrides });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const ready = (p) => p.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 60_000 });

async function shot(p, name) {
  mkdirSync(shots, { recursive: true });
  await p.screenshot({ path: resolve(shots, `${name}.png`) });
}

test('web edition: save the world, open it by a ?world= link, see a broken one refused', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.origin}/`);
  await ready(page);
  await page.getByTestId('world-open').click();
  await page.getByTestId('world-dialog').waitFor({ state: 'visible', ...wait });
  const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByTestId('world-save').click()]);
  assert.equal(download.suggestedFilename(), 'maillab-world.yaml');
  const saved = readFileSync(await download.path(), 'utf8');
  assert.match(saved, /^maillab-world: 1$/m);
  assert.match(saved, /password: builder/);
  await page.context().close();

  const title = 'Lesson 3: Bob at the library';
  const edited = saved.replace(/^title: .*$/m, `title: "${title}"`).replace('password: builder', 'password: library-card');
  overrides['/worlds/lesson3.yaml'] = { status: 200, type: 'application/yaml', body: edited };
  const linked = await newPage(browser);
  await linked.goto(`${srv.origin}/?world=worlds/lesson3.yaml`);
  await ready(linked);
  assert.ok(srv.log.some((e) => e.path === '/worlds/lesson3.yaml' && e.status === 200), 'the page fetched the linked file');
  assert.equal(await linked.getByTestId('world-dialog').evaluate((d) => d.open), false, 'a good file opens no dialog');
  assert.equal(new URL(linked.url()).searchParams.get('world'), 'worlds/lesson3.yaml', 'the web edition keeps the link');
  // The visitor lands where they would without the link (the first lesson), in the linked world.
  assert.match(await linked.getByTestId('scenario').inputValue(), /^lesson:/);
  await linked.getByTestId('world-open').click();
  const running = linked.getByTestId('world-running');
  assert.equal((await running.textContent()).trim(), fill(en['ui.world.running'], { title }));
  // The world in the page has Bob's new password.
  const [again] = await Promise.all([linked.waitForEvent('download', wait), linked.getByTestId('world-save').click()]);
  assert.match(readFileSync(await again.path(), 'utf8'), /password: library-card/);
  await shot(linked, 'web-linked');
  await linked.context().close();

  overrides['/worlds/broken.yaml'] = { status: 200, type: 'application/yaml', body: edited.replace('address: bob@example.net', 'address: bob') };
  const broken = await newPage(browser);
  await broken.goto(`${srv.origin}/?world=worlds/broken.yaml`);
  await ready(broken);
  await broken.getByTestId('world-dialog').waitFor({ state: 'visible', ...wait });
  const status = await broken.getByTestId('world-status').textContent();
  assert.ok(status.includes(fill(en['ui.world.link-failed'], { url: `${srv.origin}/worlds/broken.yaml` })), status);
  const error = await broken.getByTestId('world-error').textContent();
  assert.match(error, /^providers\[1\]\.accounts\[0\]\.address: "bob" is not an e-mail address.*\(line \d+\)$/m);
  assert.equal(
    (await broken.getByTestId('world-running').textContent()).trim(),
    fill(en['ui.world.running'], { title: 'Maillab: Alice at example.org, Bob at example.net' }),
    'the default world runs on',
  );
  await shot(broken, 'web-link-broken');
  assert.deepEqual(broken.errors, []);
  await broken.context().close();
});
