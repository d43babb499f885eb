// Text measurement for the topology layout: the browser's own fonts through
// a canvas, so the drawing is laid out for the text it will really show.

import { estimate, type Font, type Measure, type TextSize } from '../../core/topology';

/**
 * canvasMeasure measures with a 2D canvas in the given font families (CSS
 * font-family lists); it falls back to an estimate where there is no
 * canvas (jsdom) or no font metrics.
 */
export function canvasMeasure(sans: string, mono: string): Measure {
  let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') ctx = new OffscreenCanvas(8, 8).getContext('2d');
  } catch {
    ctx = null;
  }
  if (!ctx) return estimate;
  const c = ctx;
  const cache = new Map<string, TextSize>();
  return (text: string, f: Font): TextSize => {
    const font = `${f.weight ?? 400} ${f.size}px ${f.mono ? mono : sans}`;
    const key = font + '\u0000' + text;
    const hit = cache.get(key);
    if (hit) return hit;
    c.font = font;
    const m = c.measureText(text);
    const guess = estimate(text, f);
    const out: TextSize = {
      // A little slack: SVG text and canvas text may round differently.
      w: m.width * 1.01 + 0.5,
      asc: Number.isFinite(m.fontBoundingBoxAscent) ? m.fontBoundingBoxAscent : guess.asc,
      desc: Number.isFinite(m.fontBoundingBoxDescent) ? m.fontBoundingBoxDescent : guess.desc,
    };
    if (cache.size > 4000) cache.clear();
    cache.set(key, out);
    return out;
  };
}
