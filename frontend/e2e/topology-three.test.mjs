// The topology of a world with a third provider: three-providers played to
// its end, looked at in two windows (1280×800, and 1920×1080 in presenter
// mode). Measured from the DOM: the three providers' frames are drawn and
// apart, each holds its own nodes, both MX edges (example.org's MSA to
// mx.example.net and to mx.example.com) are drawn, pass no other node and
// keep apart, and no text covers another or a node.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { blur, closeSession, openApp, openSession, stepAtHead, wait } from './browser.mjs';

const shots = process.env.TOPO_SHOTS ?? '/tmp/topo3';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

const windows = [
  { name: '1280x800', width: 1280, height: 800, presenter: false, names: 12, addrs: 10 },
  { name: '1920x1080-presenter', width: 1920, height: 1080, presenter: true, names: 18, addrs: 14 },
];

async function setWindow(w) {
  await page.setViewportSize({ width: w.width, height: w.height });
  const now = await page.evaluate(() => document.documentElement.dataset.presenter === 'true');
  if (now !== w.presenter) await page.getByTestId('presenter').click();
  await page.waitForFunction((v) => document.documentElement.dataset.presenter === String(v), w.presenter, wait);
  await blur(page);
  await page.waitForFunction(
    () => {
      const wrap = document.querySelector('[data-testid=topology] .wrap');
      const svg = wrap?.querySelector('svg.topology');
      if (!svg) return false;
      const r = wrap.getBoundingClientRect();
      return Math.abs(Number(svg.getAttribute('width')) - Math.floor(r.width)) <= 1 && Math.abs(Number(svg.getAttribute('height')) - Math.floor(r.height)) <= 1;
    },
    undefined,
    wait,
  );
  await page.waitForFunction(() => {
    const env = document.querySelector('[data-testid=topology] [data-testid=envelope]');
    // The labels are searched in a worker: they are in once the drawing says so.
    const labels = document.querySelector('[data-testid=topology] svg.topology')?.getAttribute('data-labels');
    return (!env || env.getAttribute('data-resting') === 'true') && labels === 'ready';
  }, undefined, wait);
}

const mx = ['smtp.example.org|mx.example.net|smtp|25', 'smtp.example.org|mx.example.com|smtp|25'];

function measure() {
  return page.evaluate((mx) => {
    const wrap = document.querySelector('[data-testid=topology] .wrap');
    const svg = wrap.querySelector('svg.topology');
    const scale = svg.getScreenCTM().a;
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const frames = [...svg.querySelectorAll('rect[data-frame]')].map((r) => ({ domain: r.getAttribute('data-frame'), box: box(r) }));
    const nodes = [...svg.querySelectorAll('[data-node]')].map((g) => ({ id: g.getAttribute('data-node'), box: box(g.querySelector('rect')) }));
    const texts = [...svg.querySelectorAll('text')].map((t) => ({
      kind: t.classList.contains('host') ? 'name' : t.classList.contains('meta') ? 'meta' : t.closest('.elabel') ? 'edge' : t.classList.contains('domain') ? 'frame' : 'other',
      text: t.textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      box: box(t),
      node: t.closest('[data-node]')?.getAttribute('data-node') ?? null,
    }));
    // The MX edges as points on screen, from their paths.
    const ctm = svg.getScreenCTM();
    const edges = mx.map((key) => {
      const p = svg.querySelector(`[data-edge="${key}"] path.line`);
      if (!p) return { key, points: [] };
      const len = p.getTotalLength();
      const points = [];
      for (let i = 0; i <= 60; i++) {
        const q = p.getPointAtLength((len * i) / 60).matrixTransform(ctm);
        points.push({ x: q.x, y: q.y });
      }
      return { key, points, box: box(p) };
    });
    return { panel: box(wrap), frames, nodes, texts, edges };
  }, mx);
}

const overlap = (a, b, slack = 0.5) =>
  Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > slack && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > slack;
const within = (inner, outer, slack = 0.5) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack && inner.y + inner.h <= outer.y + outer.h + slack;
const inside = (p, r, slack = 1) => p.x > r.x + slack && p.x < r.x + r.w - slack && p.y > r.y + slack && p.y < r.y + r.h - slack;
const domainOf = (id) => (id === 'erin-laptop' ? 'example.com' : id === 'alice-laptop' ? 'example.org' : id.startsWith('bob-') ? 'example.net' : /\.(example\.\w+)$/.exec(id)?.[1]);

function check(m, w) {
  const at = w.name;
  // Three frames, apart, inside the panel.
  assert.deepEqual(m.frames.map((f) => f.domain).sort(), ['example.com', 'example.net', 'example.org'], `${at}: frames`);
  for (let i = 0; i < m.frames.length; i++) {
    assert.ok(within(m.frames[i].box, m.panel), `${at}: ${m.frames[i].domain}'s frame leaves the panel`);
    for (let j = i + 1; j < m.frames.length; j++)
      assert.ok(!overlap(m.frames[i].box, m.frames[j].box), `${at}: ${m.frames[i].domain}'s frame overlaps ${m.frames[j].domain}'s`);
  }
  // Every provider's node in its own frame; Erin's five are there.
  for (const id of ['smtp.example.com', 'mx.example.com', 'mda.example.com', 'mail.example.com', 'erin-laptop'])
    assert.ok(m.nodes.some((n) => n.id === id), `${at}: ${id} is drawn`);
  for (const n of m.nodes) {
    const d = domainOf(n.id);
    for (const f of m.frames) {
      if (f.domain === d) assert.ok(within(n.box, f.box), `${at}: ${n.id} is outside ${d}'s frame`);
      else assert.ok(!overlap(n.box, f.box), `${at}: ${n.id} lies on ${f.domain}'s frame`);
    }
    for (const o of m.nodes) if (o !== n) assert.ok(!overlap(n.box, o.box), `${at}: ${n.id} overlaps ${o.id}`);
  }
  // Erin's frame has its title.
  assert.ok(m.texts.some((t) => t.kind === 'frame' && /example\.com/.test(t.text)), `${at}: Erin's provider's title`);
  // Both MX edges drawn, through no other node, apart from each other beyond the MSA they leave.
  const [net, com] = m.edges;
  for (const e of m.edges) {
    assert.ok(e.points.length > 0, `${at}: edge ${e.key} is drawn`);
    const [client, server] = e.key.split('|');
    for (const n of m.nodes) {
      if (n.id === client || n.id === server) continue;
      for (const p of e.points) assert.ok(!inside(p, n.box), `${at}: edge ${e.key} passes through ${n.id} at ${p.x.toFixed(0)},${p.y.toFixed(0)}`);
    }
  }
  const far = (p, pts) => Math.min(...pts.map((q) => Math.hypot(p.x - q.x, p.y - q.y)));
  const ends = [net.points.at(-1), com.points.at(-1)];
  assert.ok(Math.hypot(ends[0].x - ends[1].x, ends[0].y - ends[1].y) > 50, `${at}: the MX edges end apart`);
  for (const p of net.points.slice(15)) assert.ok(far(p, com.points) > 4, `${at}: the MX edges run together at ${p.x.toFixed(0)},${p.y.toFixed(0)}`);
  // Texts: readable, inside the panel, apart; on a node inside its box; labels off the nodes.
  for (const t of m.texts) {
    if (t.kind === 'name') assert.ok(t.px >= w.names, `${at}: name "${t.text}" is ${t.px.toFixed(1)} px, wants ${w.names}`);
    if (t.kind === 'meta' || t.kind === 'edge') assert.ok(t.px >= w.addrs, `${at}: "${t.text}" is ${t.px.toFixed(1)} px, wants ${w.addrs}`);
  }
  for (let i = 0; i < m.texts.length; i++) {
    const a = m.texts[i];
    assert.ok(within(a.box, m.panel), `${at}: "${a.text}" leaves the panel`);
    if (a.node) assert.ok(within(a.box, m.nodes.find((n) => n.id === a.node).box), `${at}: "${a.text}" is cut by its box`);
    for (let j = i + 1; j < m.texts.length; j++) assert.ok(!overlap(a.box, m.texts[j].box), `${at}: "${a.text}" overlaps "${m.texts[j].text}"`);
    if (a.kind === 'edge' || a.kind === 'frame') for (const n of m.nodes) assert.ok(!overlap(a.box, n.box), `${at}: "${a.text}" covers ${n.id}`);
  }
  const min = (k) => Math.min(...m.texts.filter((t) => t.kind === k).map((t) => t.px)).toFixed(1);
  return `names ${min('name')} px, addresses ${min('meta')} px`;
}

test('three-providers: three frames, both MX edges, nothing on top of anything', async () => {
  await openApp(page, srv.controlUrl);
  const res = await fetch(`${srv.origin}/api/call/start`, {
    method: 'POST',
    headers: { 'X-Maillab-Token': srv.token },
    body: JSON.stringify({ args: ['three-providers'] }),
  });
  assert.equal(res.status, 200, await res.text());
  // Step to the end: Erin fetches her mail last.
  await page.locator('[data-testid=topology] [data-node="erin-laptop"]').waitFor(wait);
  await blur(page);
  const erin = () => page.evaluate(() => !!document.querySelector('[data-testid=topology] [data-edge^="erin-laptop|mail.example.com|"]'));
  for (let i = 0; i < 800 && !(await erin()); i++) await stepAtHead(page, () => page.keyboard.press(' '));
  assert.ok(await erin(), "Erin's laptop fetched from mail.example.com");
  for (const key of mx) await page.locator(`[data-testid=topology] [data-edge="${key}"]`).waitFor(wait);
  mkdirSync(shots, { recursive: true });
  const sizes = [];
  for (const w of windows) {
    await setWindow(w);
    const m = await measure();
    await page.screenshot({ path: resolve(shots, `three-${w.name}.png`) });
    await page.getByTestId('topology').screenshot({ path: resolve(shots, `three-${w.name}-panel.png`) });
    sizes.push(`${w.name}: ${check(m, w)}`);
  }
  // Dark theme, presenter mode at 1280×800: the same promises.
  await page.getByTestId('theme').click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark', undefined, wait);
  const dark = { name: '1280x800-presenter-dark', width: 1280, height: 800, presenter: true, names: 12, addrs: 10 };
  await setWindow(dark);
  const m = await measure();
  await page.screenshot({ path: resolve(shots, `three-${dark.name}.png`) });
  sizes.push(`${dark.name}: ${check(m, dark)}`);
  await page.getByTestId('theme').click();
  await setWindow(windows[0]);
  console.log(`# three-providers: ${sizes.join('; ')}`);

  // The sequence diagram: example.com's lanes after example.net's.
  const lanes = await page.evaluate(() => [...document.querySelectorAll('[data-testid=seq-lane]')].map((l) => l.getAttribute('data-node')));
  for (const id of ['mx.example.com', 'mda.example.com', 'erin-laptop']) assert.ok(lanes.includes(id), `lane ${id} in ${lanes}`);
  for (const id of lanes.filter((l) => l.endsWith('.example.com') || l === 'erin-laptop')) {
    for (const net of ['mx.example.net', 'mda.example.net', 'mail.example.net', 'bob-laptop'])
      if (lanes.includes(net)) assert.ok(lanes.indexOf(id) > lanes.indexOf(net), `lane ${id} after ${net}: ${lanes}`);
  }
});
