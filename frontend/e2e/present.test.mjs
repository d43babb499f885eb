// The classroom: a first start offers lesson 1 with one key, F puts it on
// the projector (topology, transcript with the current line's meaning and
// the lesson, large; the rest in tabs), the current line stays visible on a
// washed-out projector, and a narrow screen stacks the panels.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe } from './serve.mjs';
import { blur, catalog, closeSession, launchBrowser, newPage, openApp, screenshot, selectedLine, stepAtHead, wait } from './browser.mjs';

let srv;
let browser;
const en = catalog('en');

before(async () => {
  srv = await startServe();
  browser = await launchBrowser();
});
after(() => closeSession(srv, browser));

const box = (page, testid) =>
  page.evaluate((id) => {
    const el = document.querySelector(`main [data-testid="${id}"]`);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  }, testid);

test('first start: the welcome view, Enter opens lesson 1, and next time Maillab opens there', async () => {
  const page = await newPage(browser, { firstRun: true, size: { width: 1920, height: 1080 } });
  await openApp(page, srv.controlUrl);
  const welcome = page.getByTestId('welcome');
  await welcome.waitFor(wait);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'welcome-start', 'the button has the focus: Enter starts');
  const label = await page.getByTestId('welcome-start').textContent();
  assert.match(label, /1/);
  assert.ok(label.includes(en['ui.welcome.start'].split('{')[0].trim()), label);
  await screenshot(page, 'welcome');
  await page.keyboard.press('Enter');
  await page.getByTestId('lesson').waitFor(wait);
  assert.equal(await welcome.isVisible(), false);

  // Another tab of the same browser (no session state): no welcome, lesson 1 again.
  const again = await page.context().newPage();
  await openApp(again, srv.controlUrl);
  await again.getByTestId('lesson').waitFor(wait);
  assert.equal(await again.getByTestId('welcome').isVisible(), false);
  await page.context().close();
});

test('presenter mode with F: three things large, the rest in tabs, the current line explained', async () => {
  const page = await newPage(browser, { size: { width: 1920, height: 1080 } });
  await openApp(page, srv.controlUrl);
  await page.locator('[data-testid=scenario]').selectOption('lesson:how-email-travels');
  await page.getByTestId('lesson').waitFor(wait);
  const topoBefore = await box(page, 'topology');
  await blur(page);
  await page.keyboard.press('f');
  await page.locator('html[data-presenter="true"]').waitFor(wait);
  const topo = await box(page, 'topology');
  assert.ok(topo.w * topo.h > topoBefore.w * topoBefore.h * 1.3, `the topology grows: ${JSON.stringify(topoBefore)} → ${JSON.stringify(topo)}`);
  assert.ok(topo.w >= 1920 * 0.5, `the topology takes more than half the width: ${topo.w}`);
  for (const id of ['transcript', 'lesson']) assert.ok(await box(page, id), `${id} on screen`);
  assert.equal(await page.locator('main > [data-testid=sequence]').count(), 0, 'the sequence diagram is folded into a tab');
  assert.ok(await page.getByTestId('tab-sequence').isVisible());

  for (let i = 0; i < 4; i++) await stepAtHead(page, () => page.keyboard.press('Space'));
  const sel = await selectedLine(page);
  const cur = page.getByTestId('current-line');
  const text = await cur.textContent();
  assert.ok(sel && text.includes(sel.text.slice(0, 20)), `the current line is shown: ${text}`);
  assert.ok(text.length > sel.text.length + 20, 'with its explanation');
  const size = await cur.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 19, `presenter text size ${size}`);

  // A washed-out projector: the light theme with each colour blended 40% towards white.
  const marks = await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
    const row = document.querySelector('[data-testid=transcript] [data-testid=line][aria-selected=true]');
    const cs = getComputedStyle(row);
    return { shadow: cs.boxShadow, outline: cs.outlineStyle + ' ' + cs.outlineWidth, bg: cs.backgroundColor };
  });
  const accent = marks.shadow.match(/rgb\((\d+), (\d+), (\d+)\)/);
  assert.ok(accent, `the current row has a bar, not only a colour: ${marks.shadow}`);
  const washed = (c) => c.map((v) => v + (255 - v) * 0.4);
  const lum = (c) =>
    c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bar = washed(accent.slice(1, 4).map(Number));
  const bg = washed(marks.bg.match(/\d+/g).slice(0, 3).map(Number));
  const ratio = (Math.max(lum(bar), lum(bg)) + 0.05) / (Math.min(lum(bar), lum(bg)) + 0.05);
  assert.ok(ratio >= 3, `bar against the row, washed out: ${ratio.toFixed(2)}`);
  assert.match(marks.outline, /solid 2px/);
  await screenshot(page, 'presenter-1920');

  await page.keyboard.press('F');
  await page.locator('html[data-presenter="false"]').waitFor(wait);
  assert.equal(await page.locator('main > [data-testid=sequence]').count(), 1);
  await page.context().close();
});

test('a narrow screen stacks the panels and keeps the controls on top', async () => {
  const page = await newPage(browser, { size: { width: 800, height: 1000 } });
  await openApp(page, srv.controlUrl);
  const ids = ['topology', 'transcript', 'sequence'];
  const boxes = await Promise.all(ids.map((id) => box(page, id)));
  for (const [i, b] of boxes.entries()) {
    assert.ok(b, ids[i]);
    assert.ok(b.w >= 800 * 0.9, `${ids[i]} uses the width: ${b.w}`);
  }
  assert.ok(boxes[0].y < boxes[1].y && boxes[1].y < boxes[2].y, 'stacked: topology, transcript, sequence');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 800, `no sideways scrolling: ${wide}`);
  await page.mouse.wheel(0, 1500);
  const controls = await page.getByTestId('step').boundingBox();
  assert.ok(controls && controls.y >= 0 && controls.y < 200, `the step button stays in reach: ${JSON.stringify(controls)}`);
  await screenshot(page, 'narrow-800');
  await page.context().close();
});
