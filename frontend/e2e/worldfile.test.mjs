// World files in browser mode (#18): the teacher saves the running world
// from the World file dialog (a download, maillab-world.yaml), changes its
// title and Bob's password in it, opens it through the file input and sees
// the new world run; a broken file is refused with each wrong field and its
// line, and changes nothing; a viewer sees the buttons disabled and why; a
// ?world= link opens a file on start and shows why it could not.
// Screenshots go to /tmp/worldui (WORLDUI_SHOTS overrides).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { focusRing, scan } from './a11y.mjs';
import { blur, catalog, closeSession, newPage, openApp, openSession, wait } from './browser.mjs';

const shots = process.env.WORLDUI_SHOTS ?? '/tmp/worldui';
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

/** api calls the Go side as the page does, with the token when given. */
async function api(method, args = [], token = '') {
  return srv.call(method, args, token);
}

const fill = (s, params) => s.replace(/\{(\w+)\}/g, (_, k) => params[k]);

/** pick hands a file to the dialog's file input, as choosing it in the browser's dialog does. */
async function pick(p, name, text) {
  // The visible button opens the browser's file chooser; answer it with the file.
  const [chooser] = await Promise.all([p.waitForEvent('filechooser', wait), p.getByTestId('world-open-file').click()]);
  await chooser.setFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(text) });
}

test('world file: save, edit, open, refuse a broken one', async () => {
  await openApp(page, srv.controlUrl);
  const before = (await api('run')).body.result;

  // Reachable from the keyboard: Tab through the toolbar to the button (its ring shows), Enter opens the dialog.
  await blur(page);
  const stops = [];
  for (let i = 0; i < 80 && stops.at(-1) !== 'world-open'; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName));
  }
  assert.equal(stops.at(-1), 'world-open', `Tab never reached the World file button: ${stops.join(', ')}`);
  const ring = await focusRing(page);
  assert.ok(ring.ok, `${ring.who}: ${ring.why}`);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('world-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  assert.equal(await dialog.locator('h2').textContent(), en['ui.world.title']);
  assert.equal(await dialog.evaluate((d) => d.open && d.matches(':modal')), true, 'a modal dialog');
  const running = page.getByTestId('world-running');
  assert.equal((await running.textContent()).trim(), fill(en['ui.world.running'], { title: before.world }));
  await shot(page, 'dialog');

  // Save: the browser downloads maillab-world.yaml, the running world with its passwords.
  const [download] = await Promise.all([page.waitForEvent('download', wait), page.getByTestId('world-save').click()]);
  assert.equal(download.suggestedFilename(), 'maillab-world.yaml');
  const saved = readFileSync(await download.path(), 'utf8');
  assert.match(saved, /^maillab-world: 1$/m);
  assert.match(saved, /password: builder/);
  await page.getByTestId('world-status').filter({ hasText: fill(en['ui.world.downloaded'], { name: 'maillab-world.yaml' }) }).waitFor(wait);

  // Edit it as a teacher would in a text editor: a title of their own, Bob's new password.
  const title = 'Class 7b: Bob has a new password';
  const edited = saved.replace(/^title: .*$/m, `title: "${title}"`).replace('password: builder', 'password: chalk-and-cheese');
  assert.notEqual(edited, saved, "the saved file has a title line and Bob's password");
  await pick(page, 'class-7b.yaml', edited);
  await page.getByTestId('world-status').filter({ hasText: fill(en['ui.world.opened'], { title }) }).waitFor(wait);
  assert.equal((await running.textContent()).trim(), fill(en['ui.world.running'], { title }));
  const after = (await api('run')).body.result;
  assert.equal(after.world, title, 'the server runs the new world');
  assert.notEqual(after.runId, before.runId, 'in a new run');
  const now = (await api('worldFile', [false], srv.token)).body.result;
  assert.match(now, /password: chalk-and-cheese/, "with Bob's new password");
  await shot(page, 'opened');

  // A broken file: neither Alice's nor Bob's address is an address.
  const broken = edited.replace('address: bob@example.net', 'address: bob').replace('address: alice@example.org', 'address: alice');
  await pick(page, 'broken.yaml', broken);
  const error = page.getByTestId('world-error');
  await error.waitFor({ state: 'visible', ...wait });
  const text = await error.textContent();
  const lines = text.split('\n');
  assert.ok(lines.length >= 2, `one line per wrong field:\n${text}`);
  assert.ok(
    lines.some((l) => /^providers\[0\]\.accounts\[0\]\.address: "alice" is not an e-mail address.*\(line \d+\)$/.test(l)),
    `Alice's address with its line:\n${text}`,
  );
  assert.ok(
    lines.some((l) => /^providers\[1\]\.accounts\[0\]\.address: "bob" is not an e-mail address.*\(line \d+\)$/.test(l)),
    `Bob's address with its line:\n${text}`,
  );
  assert.equal(await error.evaluate((e) => e.tagName), 'PRE');
  assert.equal(await error.evaluate((e) => getComputedStyle(e).whiteSpace), 'pre-wrap', 'the lines stay lines');
  const status = page.getByTestId('world-status');
  assert.match(await status.textContent(), new RegExp(en['ui.world.open-failed'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The whole error can be read: the dialog fits the window, the text is inside it.
  const box = await error.boundingBox();
  const dbox = await dialog.boundingBox();
  assert.ok(box && dbox && box.x >= dbox.x && box.x + box.width <= dbox.x + dbox.width + 0.5, 'the error stays inside the dialog');
  assert.equal((await api('run')).body.result.runId, after.runId, 'a refused file changes nothing');
  assert.equal((await running.textContent()).trim(), fill(en['ui.world.running'], { title }));
  await error.scrollIntoViewIfNeeded();
  await shot(page, 'broken');
  assert.deepEqual(await scan(page), [], 'axe: no serious or critical problem in the dialog with an error');

  // A key this version does not know is named too.
  await pick(page, 'unknown.yaml', edited.replace(/^title: .*$/m, (l) => `${l}\ncolour: blue`));
  await error.filter({ hasText: /^colour: unknown field "colour".*\(line \d+\)$/ }).waitFor(wait);
  assert.equal((await api('run')).body.result.runId, after.runId, 'a refused file changes nothing');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...wait });

  // In German and Polish the dialog, its last error included, fits the 1280×800 window.
  for (const lang of ['de', 'pl']) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('world-open').filter({ hasText: catalog(lang)['ui.world.open'] }).waitFor(wait);
    await page.getByTestId('world-open').click();
    await dialog.waitFor({ state: 'visible', ...wait });
    assert.equal(await dialog.locator('h2').textContent(), catalog(lang)['ui.world.title']);
    const b = await dialog.boundingBox();
    const v = page.viewportSize();
    assert.ok(b.y >= 0 && b.y + b.height <= v.height && b.x >= 0 && b.x + b.width <= v.width, `${lang}: the dialog fits the window`);
    assert.ok((await status.textContent()).includes(catalog(lang)['ui.world.open-failed']), `${lang}: the last error's sentence follows the language`);
    await shot(page, `dialog-${lang}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...wait });
  }
  await page.getByTestId('lang-en').click();
  assert.deepEqual(page.errors, []);
});

test('world file: a viewer sees the buttons disabled and why', async () => {
  const viewer = await newPage(browser);
  await openApp(viewer, srv.viewerUrl);
  await viewer.getByTestId('world-open').click();
  await viewer.getByTestId('world-dialog').waitFor({ state: 'visible', ...wait });
  assert.equal(await viewer.getByTestId('world-save').isDisabled(), true);
  assert.equal(await viewer.getByTestId('world-open-file').isDisabled(), true);
  assert.equal(await viewer.getByTestId('world-viewer').textContent(), en['ui.world.viewer']);
  await shot(viewer, 'viewer');
  assert.deepEqual(await scan(viewer), [], "axe: no serious or critical problem in the viewer's dialog");
  await viewer.context().close();
});

test('world file: a ?world= link whose file is not a world file says why', async () => {
  const p = await newPage(browser);
  // Same origin (the page's security policy allows no other); the server has no such file.
  await openApp(p, `${srv.controlUrl}&world=/worlds/7b.yaml`);
  const dialog = p.getByTestId('world-dialog');
  await dialog.waitFor({ state: 'visible', ...wait });
  const status = await p.getByTestId('world-status').textContent();
  assert.ok(status.includes(`${srv.origin}/worlds/7b.yaml`), status);
  assert.ok((await p.getByTestId('world-error').textContent()).length > 0);
  assert.equal(new URL(p.url()).searchParams.get('world'), null, 'browser mode drops the link from the address');
  await shot(p, 'link-error');
  await p.context().close();
});
