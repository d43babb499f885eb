// The topology on a classroom screen: send-pop3 stepped to lines with a
// packet on the wire, looked at in three windows (1024×768, 1280×800, and
// 1920×1080 in presenter mode). Measured from the DOM: the text is large
// enough to read from the back row, no label covers another or a node,
// nothing leaves the panel, the labels keep their contrast in both themes,
// and with reduced motion the envelope stops moving but the line still shows.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { blur, closeSession, openApp, openSession, selectedLine, stepAtHead, wait } from './browser.mjs';

const shots = process.env.TOPO_SHOTS ?? '/tmp/topo';

let srv;
let browser;
let page;

before(async () => ({ srv, browser, page } = await openSession()));
after(() => closeSession(srv, browser));

// The windows, and the smallest text each must show (px on screen): node
// names, and addresses (a node's role · address line and the edge labels).
const windows = [
  { name: '1024x768', width: 1024, height: 768, presenter: false },
  { name: '1280x800', width: 1280, height: 800, presenter: false, names: 16, addrs: 13 },
  { name: '1920x1080-presenter', width: 1920, height: 1080, presenter: true, names: 24, addrs: 18 },
];

/** setPresenter switches presenter mode with its button until html[data-presenter] says so. */
async function setPresenter(on) {
  const now = await page.evaluate(() => document.documentElement.dataset.presenter === 'true');
  if (now !== on) await page.getByTestId('presenter').click();
  await page.waitForFunction((v) => document.documentElement.dataset.presenter === String(v), on, wait);
  await blur(page);
}

/** setWindow resizes the window and waits until the drawing is laid out for the new panel. */
async function setWindow(w) {
  await page.setViewportSize({ width: w.width, height: w.height });
  await setPresenter(w.presenter);
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
  await resting();
}

/** resting waits until the envelope (if any) has arrived. */
function resting() {
  return page.waitForFunction(() => {
    const env = document.querySelector('[data-testid=topology] [data-testid=envelope]');
    // The labels are searched in a worker: they are in once the drawing says so.
    const labels = document.querySelector('[data-testid=topology] svg.topology')?.getAttribute('data-labels');
    return (!env || env.getAttribute('data-resting') === 'true') && labels === 'ready';
  }, undefined, wait);
}

/**
 * measure reads the drawing as the screen shows it: every text's box and
 * its size on screen (computed font size times the SVG's scale), the nodes'
 * boxes, the envelope's, and the panel's.
 */
function measure() {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-testid=topology]');
    const wrap = panel.querySelector('.wrap');
    const svg = wrap.querySelector('svg.topology');
    const scale = svg.getScreenCTM().a;
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const texts = [...svg.querySelectorAll('text')].map((t) => {
      const kind = t.classList.contains('host')
        ? 'name'
        : t.classList.contains('meta')
          ? 'meta'
          : t.closest('.elabel')
            ? 'edge'
            : t.closest('[data-testid=envelope]')
              ? 'envelope'
              : t.classList.contains('domain')
                ? 'frame'
                : 'other';
      return {
        kind,
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        box: box(t),
        node: t.closest('[data-node]')?.getAttribute('data-node') ?? null,
      };
    });
    const nodes = [...svg.querySelectorAll('[data-node]')].map((g) => ({ id: g.getAttribute('data-node'), box: box(g.querySelector('rect')) }));
    const env = svg.querySelector('[data-testid=envelope]');
    return {
      scale,
      panel: box(wrap),
      section: box(panel),
      texts,
      nodes,
      envelope: env ? { text: env.querySelector('text').textContent, box: box(env.querySelector('rect')), packet: env.classList.contains('packet') } : null,
      activeEdges: svg.querySelectorAll('.edge.active').length,
    };
  });
}

const overlap = (a, b, slack = 0.5) =>
  Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > slack && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > slack;
const within = (inner, outer, slack = 0.5) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack && inner.y + inner.h <= outer.y + outer.h + slack;
const show = (t) => `${t.kind} "${t.text}"`;

/** check asserts what a window promises and returns the sizes it measured. */
function check(m, w, where) {
  const at = `${where} at ${w.name}`;
  assert.ok(m.envelope, `${at}: a packet is on the wire`);
  assert.equal(m.activeEdges, 1, `${at}: one highlighted edge`);
  const names = m.texts.filter((t) => t.kind === 'name');
  const addrs = m.texts.filter((t) => t.kind === 'meta' || t.kind === 'edge');
  assert.ok(names.length >= 13 && addrs.length >= 13, `${at}: ${names.length} names, ${addrs.length} addresses`);
  const min = (ts) => Math.min(...ts.map((t) => t.px));
  if (w.names) {
    for (const t of names) assert.ok(t.px >= w.names, `${at}: ${show(t)} is ${t.px.toFixed(1)} px, wants ${w.names}`);
    for (const t of addrs) assert.ok(t.px >= w.addrs, `${at}: ${show(t)} is ${t.px.toFixed(1)} px, wants ${w.addrs}`);
    // The box the browser gives the text agrees (it is taller than the font size).
    for (const t of names) assert.ok(t.box.h >= w.names, `${at}: ${show(t)} box ${t.box.h.toFixed(1)} px high`);
  }
  // The drawing uses the panel's width.
  const xs = m.nodes.map((n) => [n.box.x, n.box.x + n.box.w]).flat();
  const used = (Math.max(...xs) - Math.min(...xs)) / m.panel.w;
  assert.ok(used > 0.9, `${at}: the nodes span ${(used * 100).toFixed(0)}% of the panel's width`);

  // No label covers another, every label is inside the panel and, on a node, inside its box.
  for (let i = 0; i < m.texts.length; i++) {
    const a = m.texts[i];
    assert.ok(within(a.box, m.panel), `${at}: ${show(a)} leaves the panel (${JSON.stringify(a.box)} in ${JSON.stringify(m.panel)})`);
    if (a.node) assert.ok(within(a.box, m.nodes.find((n) => n.id === a.node).box), `${at}: ${show(a)} is cut by its box`);
    for (let j = i + 1; j < m.texts.length; j++) {
      const b = m.texts[j];
      assert.ok(!overlap(a.box, b.box), `${at}: ${show(a)} overlaps ${show(b)}`);
    }
  }
  // Edge labels and the packet never cover a node.
  for (const t of m.texts.filter((t) => t.kind === 'edge' || t.kind === 'envelope'))
    for (const n of m.nodes) assert.ok(!overlap(t.box, n.box), `${at}: ${show(t)} covers ${n.id}`);
  for (const n of m.nodes) assert.ok(!overlap(m.envelope.box, n.box), `${at}: the packet "${m.envelope.text}" covers ${n.id}`);
  assert.ok(within(m.envelope.box, m.panel), `${at}: the packet leaves the panel`);
  return { names: min(names), addrs: min(addrs) };
}

async function look(where) {
  const sizes = [];
  for (const w of windows) {
    await setWindow(w);
    const m = await measure();
    // The pictures first: when a check fails, they show why.
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: resolve(shots, `${where}-${w.name}.png`) });
    await page.getByTestId('topology').screenshot({ path: resolve(shots, `${where}-${w.name}-panel.png`) });
    const got = check(m, w, where);
    sizes.push(`${w.name}: names ${got.names.toFixed(1)} px, addresses ${got.addrs.toFixed(1)} px`);
  }
  console.log(`# ${where}: ${sizes.join('; ')}`);
  await setWindow(windows[1]);
}

/** stepUntil presses Space until done() holds for the page (at most n presses). */
async function stepUntil(done, what, n = 400) {
  await blur(page);
  for (let i = 0; i < n; i++) {
    if (!(await stepAtHead(page, () => page.keyboard.press(' ')))) continue;
    if (await done()) return;
  }
  assert.fail(`no ${what} after ${n} presses`);
}

const lineIs = (re) => async () => {
  const l = await selectedLine(page);
  return !!l && re.test(l.text);
};

// Contrast (WCAG 2.x) of a text's fill against what is painted under it, and of the edges.
function contrasts() {
  return page.evaluate(() => {
    const rgb = (s) => {
      // color-mix() computes to color(srgb r g b [/ a]) with 0–1 channels.
      const c = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(s);
      if (c) return c[4] === undefined || Number(c[4]) > 0 ? [c[1], c[2], c[3]].map((v) => Number(v) * 255) : null;
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(s);
      return m && (m[4] === undefined || Number(m[4]) > 0) ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    };
    const lum = ([r, g, b]) => {
      const c = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const svg = document.querySelector('[data-testid=topology] svg.topology');
    const out = [];
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      const fg = rgb(getComputedStyle(t).fill);
      // What lies under the text's middle: the first painted shape, else the panel.
      let bg = null;
      for (const el of document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)) {
        if (el.closest('text') || el === svg) continue;
        const st = getComputedStyle(el);
        bg = el instanceof SVGElement ? rgb(st.fill) : rgb(st.backgroundColor);
        if (bg) break;
      }
      const px = parseFloat(getComputedStyle(t).fontSize);
      const bold = Number(getComputedStyle(t).fontWeight) >= 700;
      out.push({ text: t.textContent, ratio: ratio(fg, bg), large: px >= 24 || (bold && px >= 18.66) });
    }
    // The edges are graphics a reader needs: 3:1 against the panel and both frames.
    // The panel's ground: the nearest ancestor that paints a background.
    let panel = null;
    for (let el = svg.parentElement; el && !panel; el = el.parentElement) panel = rgb(getComputedStyle(el).backgroundColor);
    const grounds = [panel ?? [255, 255, 255], ...[...svg.querySelectorAll('.frame')].map((f) => rgb(getComputedStyle(f).fill)).filter(Boolean)];
    for (const e of svg.querySelectorAll('.edge')) {
      const strokes = [e.querySelector('.tube'), e.querySelector('.line')].filter(Boolean).map((el) => rgb(getComputedStyle(el).stroke));
      const stroke = strokes.find(Boolean);
      if (!stroke) {
        out.push({ text: `edge ${e.getAttribute('data-edge')} has no stroke colour`, ratio: 0, large: true });
        continue;
      }
      for (const g of grounds) out.push({ text: `edge ${e.getAttribute('data-edge')}`, ratio: ratio(stroke, g), large: true });
    }
    return out;
  });
}

test('topology: fills its panel, readable, nothing covered, at three sizes', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, srv.controlUrl);
  await page.getByTestId('scenario').selectOption('send-pop3');
  await page.getByTestId('position').filter({ hasText: /^Step 0 of 0$/ }).waitFor(wait);

  // Alice's laptop hands the mail to the MSA: the packet next to the MSA.
  await stepUntil(lineIs(/^MAIL FROM:</), 'MAIL FROM');
  await look('mail-from');
  // A DNS packet on its way.
  await stepUntil(() => page.locator('[data-testid=topology] [data-testid=envelope].packet').count().then((n) => n > 0), 'DNS packet');
  await look('dns');
  // Bob fetches the mail over TLS: most edges are drawn by now.
  await stepUntil(lineIs(/^RETR 1$/), 'RETR 1');
  await look('retr');
  // The labels were searched in a worker (the page's own file, allowed by the CSP).
  assert.equal(await page.locator('[data-testid=topology] svg.topology').getAttribute('data-labels-in'), 'worker');

  // Colour is not the only sign: the encrypted edge is a tube and its label has a lock;
  // the current edge has an arrowhead; the nodes at its ends a thicker border.
  const signs = await page.evaluate(() => {
    const svg = document.querySelector('[data-testid=topology] svg.topology');
    const edge = svg.querySelector('.edge.active');
    const service = edge.getAttribute('data-service');
    const label = [...svg.querySelectorAll('.elabel')].find((l) => l.getAttribute('data-service') === service);
    const line = edge.querySelector('.line');
    const width = (sel) => parseFloat(getComputedStyle(svg.querySelector(sel)).strokeWidth);
    return {
      tube: !!edge.querySelector('.tube'),
      lock: !!label?.querySelector('.lock'),
      arrow: !!(line.getAttribute('marker-end') || line.getAttribute('marker-start')),
      active: width('.node.active rect'),
      idle: width('.node:not(.active) rect'),
    };
  });
  assert.deepEqual({ tube: signs.tube, lock: signs.lock, arrow: signs.arrow }, { tube: true, lock: true, arrow: true });
  assert.ok(signs.active >= 2 * signs.idle, `active node border ${signs.active} px, idle ${signs.idle} px`);

  // WCAG AA: every label against what lies under it (4.5:1, large text 3:1), the edges 3:1, in both themes.
  for (const theme of ['light', 'dark']) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme ?? 'light')) !== theme) await page.getByTestId('theme').click();
    await page.waitForFunction((t) => (document.documentElement.dataset.theme ?? 'light') === t, theme, wait);
    await blur(page);
    for (const c of await contrasts()) assert.ok(c.ratio >= (c.large ? 3 : 4.5), `${theme}: "${c.text}" has contrast ${c.ratio.toFixed(2)}`);
    await page.getByTestId('topology').screenshot({ path: resolve(shots, `retr-${theme}-panel.png`) });
  }

  // A line clicked in the transcript is selected in the topology too: the
  // first line of the run is Alice's submission, not Bob's POP3 at the cursor.
  const activeEdge = () => page.locator('[data-testid=topology] .edge.active').getAttribute('data-edge');
  assert.match(await activeEdge(), /^bob-laptop\|mail\.example\.net\|/);
  await page.locator('[data-testid=transcript] .scroll').evaluate((el) => el.scrollTo(0, 0));
  await page.locator('[data-testid=transcript] [data-testid=line]').first().click();
  await page.waitForFunction(() => /^alice-laptop\|smtp\.example\.org\|submission\|/.test(document.querySelector('[data-testid=topology] .edge.active')?.getAttribute('data-edge') ?? ''), null, wait);
  assert.deepEqual(page.errors, []);
});

test('topology: reduced motion stops the envelope, the line still shows', async () => {
  // Counts how often the envelope moves while one step is taken.
  const moves = async () => {
    await resting();
    await page.evaluate(() => {
      const svg = document.querySelector('[data-testid=topology] svg.topology');
      window.__moves = 0;
      window.__mo?.disconnect();
      window.__mo = new MutationObserver((ms) => {
        for (const m of ms) if (m.target.closest?.('[data-testid=envelope]') && m.attributeName === 'transform') window.__moves++;
      });
      window.__mo.observe(svg, { attributes: true, subtree: true, attributeFilter: ['transform'] });
    });
    await stepUntil(() => page.locator('[data-testid=topology] [data-testid=envelope]').count().then((n) => n > 0), 'a line on the wire', 40);
    await resting();
    const line = await selectedLine(page);
    const active = await page.locator('[data-testid=topology] .edge.active').count();
    return { moves: await page.evaluate(() => window.__moves), line, active };
  };

  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const moving = await moves();
  assert.ok(moving.moves > 3, `with motion the envelope travels (${moving.moves} moves)`);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  const still = await moves();
  assert.ok(still.moves <= 1, `with reduced motion the envelope jumps to its place (${still.moves} moves)`);
  assert.ok(still.line, 'the current line is highlighted in the transcript');
  assert.equal(still.active, 1, 'the edge is highlighted');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.deepEqual(page.errors, []);
});
