/// <reference types="node" />
// WCAG 2.2 AA contrast of the theme colours (app.css), in both themes:
// every text colour on every background it can stand on at least 4.5:1,
// the focus ring (the accent) and the topology's lines at least 3:1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, 'app.css'), 'utf8');

function vars(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)) out[m[1]] = m[2];
  return out;
}

const light = vars(/:root \{([\s\S]*?)\n\}/.exec(css)?.[1] ?? '');
const dark = { ...light, ...vars(/:root\[data-theme='dark'\] \{([\s\S]*?)\n\}/.exec(css)?.[1] ?? '') };

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const texts = ['fg', 'muted', 'accent', 'client', 'server', 'ok', 'wait', 'temp', 'fail', 'info', 'lock'];
const backgrounds = ['bg', 'panel', 'panel-2', 'sel', 'cursor', 'org', 'net', 'added'];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme', (_, theme) => {
  it('has every colour it is checked for', () => {
    for (const v of [...texts, ...backgrounds, 'accent-fg', 'edge']) expect(theme[v], v).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('text colours: at least 4.5:1 on every background', () => {
    const low = texts.flatMap((t) =>
      backgrounds.map((b) => [t, b, contrast(theme[t], theme[b])] as const).filter(([, , r]) => r < 4.5),
    );
    expect(low).toEqual([]);
    expect(contrast(theme['accent-fg'], theme.accent)).toBeGreaterThanOrEqual(4.5);
  });

  it('focus ring and topology lines: at least 3:1 where they are drawn', () => {
    for (const b of ['bg', 'panel', 'panel-2', 'org', 'net']) {
      expect(contrast(theme.accent, theme[b]), `accent on ${b}`).toBeGreaterThanOrEqual(3);
      expect(contrast(theme.edge, theme[b]), `edge on ${b}`).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('contrast', () => {
  it('is the WCAG ratio', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
