// The sequence diagram at the end of send-pop3, measured from the DOM: the
// current line stays in view while stepping, every lane shows its full
// name, no two labels overlap and each stays between its two lanes, the
// message bodies are folded and open on a click, a click selects the line
// everywhere, and the diagram and the topology export as SVG and PNG.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { assertNoPageScroll, blur, catalog, closeSession, openApp, openSession, position, stepAtHead, wait } from './browser.mjs';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const shots = process.env.SEQ_SHOTS ?? '/tmp/seq';
const en = catalog('en');
const laneNames = [
  en['node.alice-laptop'],
  'smtp.example.org',
  'dns',
  'mx.example.net',
  'mda.example.net',
  'mail.example.net',
  en['node.bob-laptop'],
];

/** panelBox is where the sequence panel sits on the page. */
const panelBox = () => page.getByTestId('sequence').evaluate((el) => el.getBoundingClientRect().toJSON());

/** cursorInView tells where the current row is against the visible part of the diagram. */
function cursorInView() {
  return page.evaluate(() => {
    const sc = document.querySelector('[data-testid=sequence] [role=listbox]');
    const head = sc.querySelector('[data-testid=seq-lanes]').getBoundingClientRect();
    const row = sc.querySelector('.row.cursor');
    if (!row) return { ok: false, why: 'no current row is drawn' };
    const r = row.getBoundingClientRect();
    const s = sc.getBoundingClientRect();
    const bottom = s.top + sc.clientHeight;
    if (r.top < head.bottom - 0.5 || r.bottom > bottom + 0.5) return { ok: false, why: `row ${r.top}..${r.bottom} outside ${head.bottom}..${bottom}` };
    // Across: the arrow (or the note's dot, or the folded body) shows.
    const mark = row.querySelector('.arrow line, .fold rect, .note-dot');
    const m = mark.getBoundingClientRect();
    const gutter = row.querySelector('.num').getBoundingClientRect().right;
    const right = s.left + sc.clientWidth;
    // (An arrow wider than the view shows its start.)
    const fits = m.width <= right - gutter;
    const shows = fits ? m.left >= gutter - 0.5 && m.right <= right + 0.5 : m.left >= gutter - 16 && m.left < right;
    if (!shows) return { ok: false, why: `mark ${m.left}..${m.right} outside ${gutter}..${right}` };
    return { ok: true, seq: row.getAttribute('data-seq') };
  });
}

/**
 * measure scrolls the diagram from top to bottom (it draws only the rows on
 * screen) and collects, in diagram coordinates, every label's box with its
 * arrow's ends, the lane names, and the folds.
 */
function measure() {
  return page.evaluate(async () => {
    const sc = document.querySelector('[data-testid=sequence] [role=listbox]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const box = (el) => {
      const r = el.getBoundingClientRect();
      const s = sc.getBoundingClientRect();
      const dx = sc.scrollLeft - s.left;
      const dy = sc.scrollTop - s.top;
      return { l: r.left + dx, r: r.right + dx, t: r.top + dy, b: r.bottom + dy };
    };
    const lanes = [...sc.querySelectorAll('[data-testid=seq-lane]')].map((el) => {
      const name = el.querySelector('.name');
      const b = box(el);
      return { text: name.textContent, sw: name.scrollWidth, cw: name.clientWidth, box: box(name), x: (b.l + b.r) / 2, role: el.querySelector('.role').textContent };
    });
    const labels = new Map();
    const folds = new Map();
    const left = sc.scrollLeft;
    for (let top = 0; top <= sc.scrollHeight; top += Math.max(20, sc.clientHeight / 2)) {
      sc.scrollTop = top;
      await frame();
      await frame();
      for (const row of sc.querySelectorAll('.row')) {
        const seq = row.getAttribute('data-seq');
        const step = row.getAttribute('data-step');
        const key = `${row.getAttribute('data-testid')}:${step}`;
        const text = row.querySelector('.arrow text, .fold text, .note');
        if (!text) continue;
        if (!text.textContent) {
          labels.set(key, { seq, step, kind: 'empty', text: '', box: { l: 0, r: 0, t: 0, b: 0 }, ends: null, title: '' });
          continue;
        }
        const line = row.querySelector('.arrow line');
        const rect = row.querySelector('.fold rect');
        const ends = line ? box(line) : rect ? box(rect) : null;
        const entry = { seq, step, kind: line ? 'arrow' : rect ? 'fold' : 'note', text: text.textContent, title: row.getAttribute('title') ?? '', box: box(text), ends };
        labels.set(key, entry);
        if (rect) folds.set(step, entry);
      }
    }
    sc.scrollLeft = left;
    return { lanes, labels: [...labels.values()], folds: [...folds.values()] };
  });
}

const overlap = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;

function checkLayout(m, where) {
  // Every lane with its full name, nothing cut, the names apart.
  assert.deepEqual(
    m.lanes.map((l) => l.text),
    laneNames,
    `${where}: the lanes of send-pop3, named in full`,
  );
  for (const l of m.lanes) {
    assert.ok(l.sw <= l.cw + 0.5 && !l.text.endsWith('…'), `${where}: lane name "${l.text}" is cut (${l.sw} > ${l.cw})`);
  }
  for (let i = 1; i < m.lanes.length; i++) {
    assert.ok(m.lanes[i - 1].box.r <= m.lanes[i].box.l, `${where}: lane names "${m.lanes[i - 1].text}" and "${m.lanes[i].text}" touch`);
  }
  // Labels: none on another, each between its two lanes; a cut one has a tooltip.
  assert.ok(m.labels.length > 50, `${where}: only ${m.labels.length} labels seen`);
  for (let i = 0; i < m.labels.length; i++) {
    const a = m.labels[i];
    for (let j = i + 1; j < m.labels.length; j++) {
      const b = m.labels[j];
      assert.ok(!overlap(a.box, b.box), `${where}: label "${a.text}" (${a.seq}) overlaps "${b.text}" (${b.seq})`);
    }
    if (a.ends) {
      assert.ok(a.box.l >= a.ends.l - 0.5 && a.box.r <= a.ends.r + 0.5, `${where}: label "${a.text}" (${a.seq}) leaves its lanes: ${JSON.stringify(a)}`);
    }
    if (a.kind === 'arrow') {
      // Nor does it sit on a lane its arrow passes (smtp.example.org → mx.example.net crosses dns).
      const on = m.lanes.find((l) => l.x > a.ends.l + 2 && l.x < a.ends.r - 2 && l.x > a.box.l && l.x < a.box.r);
      assert.ok(!on, `${where}: label "${a.text}" (${a.seq}) sits on the lane of ${on?.text}`);
    }
    if (a.text.endsWith('…')) {
      assert.ok(a.title.length > a.text.length, `${where}: cut label "${a.text}" has no tooltip`);
    }
  }
}

/** download clicks and returns the file's name and bytes. */
async function download(click) {
  const [d] = await Promise.all([page.waitForEvent('download', wait), click()]);
  return { name: d.suggestedFilename(), data: readFileSync(await d.path()) };
}

/** parseSvg parses a picture in the page, as a browser opens it, and lists its texts. */
function parseSvg(svg) {
  return page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
    const err = doc.querySelector('parsererror');
    return {
      error: err ? err.textContent : '',
      root: doc.documentElement.localName,
      ns: doc.documentElement.namespaceURI,
      width: Number(doc.documentElement.getAttribute('width')),
      height: Number(doc.documentElement.getAttribute('height')),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
    };
  }, svg);
}

function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  return { w: buf.readUInt32BE(16), h: buf.readUInt32BE(20) };
}

async function checkSvg(file, name, must) {
  assert.equal(file.name, name);
  const svg = file.data.toString('utf8');
  assert.doesNotMatch(svg, /var\(--|<style|<link|https?:\/\/(?!www\.w3\.org)|url\((?!#)|color\(/, `${name} needs nothing from outside`);
  // url(#id) points inside the file: the id must be there.
  for (const [, id] of svg.matchAll(/url\(#([^)]+)\)/g)) assert.match(svg, new RegExp(`id="${id}"`), `${name}: url(#${id}) is defined in the file`);
  const p = await parseSvg(svg);
  assert.equal(p.error, '', `${name} parses`);
  assert.equal(p.root, 'svg');
  assert.equal(p.ns, 'http://www.w3.org/2000/svg');
  for (const t of must) assert.ok(p.texts.includes(t), `${name} shows "${t}"`);
  return p;
}

test('send-pop3 end to end: the whole path, readable, and its pictures', async () => {
  mkdirSync(shots, { recursive: true });
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);
  await blur(page);
  const before = await panelBox();

  // Step to the end with Space; after every step the current line shows.
  let steps = 0;
  let idle = 0;
  for (let i = 0; i < 800 && idle < 6; i++) {
    if (await stepAtHead(page, () => page.keyboard.press(' '))) {
      steps++;
      idle = 0;
      const v = await cursorInView();
      assert.ok(v.ok, `step ${steps} (${await position(page)}): ${v.why}`);
    } else if (await page.locator('[data-testid=app][data-finished=true]').count()) idle++;
  }
  assert.ok(await page.locator('[data-testid=app][data-finished=true]').count(), 'send-pop3 finished');
  console.log(`# send-pop3 stepped to its end: ${await position(page)}`);
  assert.deepEqual(await panelBox(), before, 'the panel keeps its size; the diagram scrolls inside it');
  await assertNoPageScroll(page);

  // Wider than the panel: it scrolls sideways.
  const sc = page.locator('[data-testid=sequence] [role=listbox]');
  const dims = await sc.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth }));
  assert.ok(dims.sw > dims.cw, `seven lanes need more than ${dims.cw}px (${dims.sw})`);

  await page.screenshot({ path: `${shots}/end-1280x800.png` });
  await page.getByTestId('sequence').screenshot({ path: `${shots}/sequence-end-1280x800.png` });

  const m = await measure();
  checkLayout(m, '1280×800');

  // The message bodies are folded: the submission, the relay, LMTP and POP3.
  const counted = /^▸ message \((\d+) lines\)$/;
  assert.equal(m.folds.length, 4, `four folded bodies: ${m.folds.map((f) => f.text).join(', ')}`);
  for (const f of m.folds) assert.match(f.text, counted);
  const total = await page.evaluate(() => Number(/of (\d+)/.exec(document.querySelector('[data-testid=position]').textContent)[1]));
  const rows = m.labels.length;
  const folded = m.folds.reduce((s, f) => s + Number(counted.exec(f.text)[1]) - 1, 0);
  assert.equal(rows + folded, total, 'every step is a row, or a line of a folded body');

  // Open the POP3 download: its lines appear below it; a click on one selects it everywhere.
  const pop = m.folds[m.folds.length - 1];
  const n = Number(counted.exec(pop.text)[1]);
  const fold = page.locator(`[data-testid=seq-fold][data-step="${pop.step}"]`);
  await sc.evaluate((el, t) => (el.scrollTop = t - 60), pop.box.t);
  await fold.click();
  await page.locator(`[data-testid=seq-fold][data-step="${pop.step}"] .fold text`).filter({ hasText: /^▾ / }).waitFor(wait);
  const second = page.locator(`[data-testid=sequence] [data-testid=seq-row][data-step="${Number(pop.step) + 1}"]`);
  await second.waitFor(wait);
  const seq = await second.getAttribute('data-seq');
  await second.click();
  await page.locator(`[data-testid=transcript] [data-testid=line][data-seq="${seq}"][aria-selected=true]`).waitFor(wait);
  const text = await page.locator(`[data-testid=transcript] [data-testid=line][data-seq="${seq}"] .text`).textContent();
  assert.ok((await page.getByTestId('inspector-text').textContent()).includes(text.trim()), `the inspector shows "${text}"`);
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  const open = await measure();
  checkLayout(open, '1280×800, a body open');
  assert.equal(open.labels.length, rows + n, `the open body shows its ${n} lines`);
  await page.getByTestId('sequence').screenshot({ path: `${shots}/sequence-open-1280x800.png` });
  await sc.evaluate((el, t) => (el.scrollTop = t - 60), pop.box.t);
  await fold.click(); // fold it again
  await page.locator(`[data-testid=seq-fold][data-step="${pop.step}"] .fold text`).filter({ hasText: /^▸ / }).waitFor(wait);

  // Pictures from the panel's button and from the Export dialog.
  await page.getByTestId('seq-picture').click();
  const fromPanel = await download(() => page.getByTestId('seq-picture-svg').click());
  await checkSvg(fromPanel, 'maillab-send-pop3-sequence.svg', laneNames);
  await blur(page);
  await page.keyboard.press('e');
  await page.getByTestId('export-dialog').waitFor({ state: 'visible', ...wait });
  const svg = await download(() => page.getByTestId('export-picture-sequence-svg').click());
  const p = await checkSvg(svg, 'maillab-send-pop3-sequence.svg', [...laneNames, 'RETR 1', 'message (34 lines)'.replace('34', String(n))]);
  const png = await download(() => page.getByTestId('export-picture-sequence-png').click());
  assert.equal(png.name, 'maillab-send-pop3-sequence.png');
  const size = pngSize(png.data);
  assert.ok(Math.abs(size.w - p.width * 2) <= 1 && Math.abs(size.h - p.height * 2) <= 1, `PNG at twice the size: ${JSON.stringify(size)} for ${p.width}×${p.height}`);
  const topo = await download(() => page.getByTestId('export-picture-topology-svg').click());
  const tp = await checkSvg(topo, 'maillab-send-pop3-topology.svg', ['smtp.example.org', 'mx.example.net', 'mail.example.net', en['node.bob-laptop']]);
  const topoPng = await download(() => page.getByTestId('export-picture-topology-png').click());
  assert.equal(topoPng.name, 'maillab-send-pop3-topology.png');
  assert.deepEqual(pngSize(topoPng.data), { w: Math.round(tp.width * 2), h: Math.round(tp.height * 2) });
  await page.getByTestId('export-status').filter({ hasText: 'maillab-send-pop3-topology.png' }).waitFor(wait);
  await page.getByTestId('export-dialog').screenshot({ path: `${shots}/export-dialog.png` });

  // In German the pictures speak German.
  await page.getByTestId('export-close').click();
  const de = catalog('de');
  await page.getByTestId('lang-de').click();
  await page.getByTestId('sequence').locator('h2').filter({ hasText: de['ui.sequence.title'] }).waitFor(wait);
  await page.getByTestId('seq-picture').click();
  const deSvg = await download(() => page.getByTestId('seq-picture-svg').click());
  const dp = await checkSvg(deSvg, 'maillab-send-pop3-sequence.svg', [de['node.alice-laptop'], de['node.bob-laptop']]);
  assert.ok(dp.texts.includes(`Nachricht (${n} Zeilen)`), 'the folded body in German');
  const deLanes = await measure();
  assert.ok(deLanes.folds.every((f) => /^▸ Nachricht \(\d+ Zeilen\)$/.test(f.text)), 'the folds in German on screen');
  await page.getByTestId('lang-en').click();
  await page.getByTestId('sequence').locator('h2').filter({ hasText: en['ui.sequence.title'] }).waitFor(wait);

  // A smaller screen: the same promises.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.waitForFunction(() => document.querySelector('[data-testid=sequence]').getBoundingClientRect().width < 400);
  checkLayout(await measure(), '1024×768');
  await assertNoPageScroll(page);
  await page.screenshot({ path: `${shots}/end-1024x768.png` });
  await page.getByTestId('sequence').screenshot({ path: `${shots}/sequence-end-1024x768.png` });
  assert.deepEqual(page.errors, []);
});
