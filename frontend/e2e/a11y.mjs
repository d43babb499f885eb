// Accessibility helpers for the browser tests: an axe-core scan that keeps
// what matters (impact serious or critical), and a check that the focused
// element shows a focus ring a person can see (drawn, not clipped, enough
// contrast).

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';

export const shotDir = process.env.A11Y_SHOTS ?? '/tmp/a11y';

/** scan runs axe-core on the page; returns the serious and critical violations, one line each. */
export async function scan(page) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return bad.flatMap((v) =>
    v.nodes.map((n) => `[${v.impact}] ${v.id} at ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 300)}`),
  );
}

export async function shoot(page, name) {
  mkdirSync(shotDir, { recursive: true });
  const path = resolve(shotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * focusRing measures the focused element's ring from the DOM: which
 * element has the focus, whether the browser shows focus for it
 * (:focus-visible), the outline's style and width, its contrast against
 * what is behind it, and whether every scrolling or clipping ancestor (and
 * the window) shows the whole ring. ok is false with a reason otherwise.
 */
export function focusRing(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const who = el ? `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${el.id ? '#' + el.id : ''}` : 'nothing';
    const fail = (why) => ({ ok: false, who, why });
    if (!el || el === document.body || el === document.documentElement) return fail('no element has the focus');
    if (!el.matches(':focus-visible')) return fail('the focus is not shown (:focus-visible does not match)');
    const cs = getComputedStyle(el);
    const width = parseFloat(cs.outlineWidth);
    if (cs.outlineStyle === 'none' || cs.outlineStyle === 'hidden' || !(width >= 2)) return fail(`outline ${cs.outlineStyle} ${cs.outlineWidth}`);

    // Colours as [r, g, b, a].
    const rgba = (s) => {
      const m = /rgba?\(([^)]+)\)/.exec(s);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    // What is behind the ring: the element's own background for a ring drawn
    // inside, else the first ancestor with a background (opaque enough).
    const offset = parseFloat(cs.outlineOffset) || 0;
    let bgEl = offset < 0 ? el : el.parentElement;
    let bg = [255, 255, 255, 1];
    for (; bgEl; bgEl = bgEl.parentElement) {
      const c = rgba(getComputedStyle(bgEl).backgroundColor);
      if (c[3] >= 0.9) {
        bg = c;
        break;
      }
    }
    if (!bgEl) bg = rgba(getComputedStyle(document.body).backgroundColor);
    const ring = rgba(cs.outlineColor);
    const contrast = ratio(ring, bg);
    if (contrast < 3) return fail(`ring ${cs.outlineColor} on ${bg} has contrast ${contrast.toFixed(2)} < 3`);

    // The ring's outer box.
    const r = el.getBoundingClientRect();
    const out = Math.max(0, offset + width);
    const box = { left: r.left - out, top: r.top - out, right: r.right + out, bottom: r.bottom + out };
    if (r.width === 0 || r.height === 0) return fail('the focused element has no size');
    const slack = 0.5;
    const inside = (c) => box.left >= c.left - slack && box.top >= c.top - slack && box.right <= c.right + slack && box.bottom <= c.bottom + slack;
    if (!inside({ left: 0, top: 0, right: innerWidth, bottom: innerHeight })) return fail(`ring ${JSON.stringify(box)} leaves the window`);
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const ar = a.getBoundingClientRect();
      // The clip is the padding box: inside the borders.
      const clip = {
        left: ar.left + parseFloat(s.borderLeftWidth),
        top: ar.top + parseFloat(s.borderTopWidth),
        right: ar.right - parseFloat(s.borderRightWidth),
        bottom: ar.bottom - parseFloat(s.borderBottomWidth),
      };
      if (!inside(clip)) {
        const aw = `${a.tagName.toLowerCase()}.${[...a.classList].join('.')}${a.getAttribute('data-testid') ? `[data-testid=${a.getAttribute('data-testid')}]` : ''}`;
        return fail(`ring ${JSON.stringify(box)} is cut by ${aw} ${JSON.stringify(clip)}`);
      }
    }
    return { ok: true, who, contrast: Number(contrast.toFixed(2)), width, offset };
  });
}
