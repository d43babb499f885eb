// Pictures for slides and handouts: the sequence diagram drawn as one
// standalone SVG, any <svg> on the page made standalone (computed styles
// inlined, no classes or stylesheets needed), and PNG at twice the size.
// Standalone means: no external references, no CSS variables, text kept as
// text with a font stack a slide program or a browser has.

export const svgNS = 'http://www.w3.org/2000/svg';

/** escapeXml makes text safe inside an element or a quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** pictureName is the file name of a picture: maillab-send-pop3-sequence.svg. */
export function pictureName(scenario: string | undefined, what: 'sequence' | 'topology', ext: 'svg' | 'png'): string {
  const s = (scenario || 'run').replace(/[^\w-]+/g, '-');
  return `maillab-${s}-${what}.${ext}`;
}

/** The colours of a picture, resolved (no CSS variables). */
export interface PictureColors {
  bg: string;
  fg: string;
  muted: string;
  border: string;
  client: string;
  server: string;
  info: string;
  lock: string;
  wait: string;
}

/** One row of the sequence picture, in diagram coordinates. */
export type PictureRow =
  | { kind: 'arrow'; num: string; x1: number; x2: number; /** the label's centre */ lx: number; label: string; full: string; server: boolean; packet: boolean; encrypted: boolean }
  | { kind: 'fold'; num: string; x1: number; x2: number; label: string; server: boolean }
  | { kind: 'note'; num: string; x: number; text: string; anchor: 'start' | 'end' };

export interface SequencePicture {
  /** what the picture shows, for its <title> */
  title: string;
  /** the lanes' part (the step numbers' column comes on top, to the left) */
  width: number;
  gutter: number;
  rowH: number;
  headerH: number;
  /** font sizes (px) of lane names and labels; font stacks as CSS text */
  nameSize: number;
  labelSize: number;
  sans: string;
  mono: string;
  lanes: { x: number; name: string; role: string }[];
  rows: PictureRow[];
}

const num = (v: number): string => String(Math.round(v * 10) / 10);

/** sequenceSvg draws the whole diagram as one standalone SVG document. */
export function sequenceSvg(p: SequencePicture, c: PictureColors): string {
  const W = p.gutter + p.width;
  const H = p.headerH + p.rows.length * p.rowH + 6;
  const x = (v: number) => num(p.gutter + v);
  const font = (fam: string) => escapeXml(fam);
  const out: string[] = [];
  out.push(
    `<svg xmlns="${svgNS}" width="${num(W)}" height="${num(H)}" viewBox="0 0 ${num(W)} ${num(H)}" font-family="${font(p.sans)}" role="img">`,
    `<title>${escapeXml(p.title)}</title>`,
    `<rect width="100%" height="100%" fill="${c.bg}"/>`,
  );
  // Lane lines first, under everything.
  for (const l of p.lanes) {
    out.push(`<line x1="${x(l.x)}" x2="${x(l.x)}" y1="${num(p.headerH)}" y2="${num(H)}" stroke="${c.border}" stroke-dasharray="3 3"/>`);
  }
  // Lane headers: the full name, the role below it.
  out.push(`<line x1="0" x2="${num(W)}" y1="${num(p.headerH - 0.5)}" y2="${num(p.headerH - 0.5)}" stroke="${c.border}"/>`);
  for (const l of p.lanes) {
    const y1 = p.headerH / 2 - 1;
    out.push(
      `<text x="${x(l.x)}" y="${num(y1)}" text-anchor="middle" font-size="${num(p.nameSize)}" font-weight="600" fill="${c.fg}">${escapeXml(l.name)}</text>`,
      `<text x="${x(l.x)}" y="${num(y1 + p.nameSize * 1.15)}" text-anchor="middle" font-size="${num(p.nameSize * 0.88)}" fill="${c.muted}">${escapeXml(l.role)}</text>`,
    );
  }
  p.rows.forEach((r, i) => {
    const top = p.headerH + i * p.rowH;
    const y = top + p.rowH - 6;
    out.push(
      `<text x="${num(p.gutter - 4)}" y="${num(top + p.rowH / 2 + p.labelSize * 0.35)}" text-anchor="end" font-size="${num(p.labelSize * 0.85)}" fill="${c.muted}">${escapeXml(r.num)}</text>`,
    );
    if (r.kind === 'note') {
      const dx = r.anchor === 'start' ? 8 : -8;
      out.push(
        `<circle cx="${x(r.x)}" cy="${num(top + p.rowH / 2)}" r="4" fill="${c.wait}"/>`,
        `<text x="${x(r.x + dx)}" y="${num(top + p.rowH / 2 + p.labelSize * 0.35)}" text-anchor="${r.anchor}" font-size="${num(p.labelSize)}" font-style="italic" fill="${c.muted}">${escapeXml(r.text)}</text>`,
      );
      return;
    }
    const colour = r.kind === 'arrow' && r.packet ? c.info : r.server ? c.server : c.client;
    const right = r.x2 >= r.x1;
    const tip = right ? -1 : 1;
    const mid = (r.x1 + r.x2) / 2;
    if (r.kind === 'fold') {
      const lo = Math.min(r.x1, r.x2) + 4;
      const hi = Math.max(r.x1, r.x2) - 4;
      out.push(
        `<rect x="${x(lo)}" y="${num(top + 3)}" width="${num(hi - lo)}" height="${num(p.rowH - 6)}" rx="4" fill="${c.bg}" stroke="${colour}" stroke-width="1.4" stroke-dasharray="5 3"/>`,
        `<text x="${x(mid)}" y="${num(top + p.rowH / 2 + p.labelSize * 0.35)}" text-anchor="middle" font-family="${font(p.mono)}" font-size="${num(p.labelSize)}" fill="${c.fg}">${escapeXml(r.label)}</text>`,
      );
      return;
    }
    out.push(
      `<g>${r.full !== r.label ? `<title>${escapeXml(r.full)}</title>` : ''}`,
      `<line x1="${x(r.x1)}" x2="${x(r.x2 + tip * 2)}" y1="${num(y)}" y2="${num(y)}" stroke="${colour}" stroke-width="1.6"/>`,
      `<path d="M${x(r.x2)},${num(y)} l${tip * 7},-4 v8 z" fill="${colour}"/>`,
      `<text x="${x(r.lx)}" y="${num(y - 4)}" text-anchor="middle" font-family="${font(p.mono)}" font-size="${num(p.labelSize)}" fill="${c.fg}" stroke="${c.bg}" stroke-width="3" paint-order="stroke">${escapeXml(r.label)}</text>`,
    );
    if (r.encrypted) {
      const lx = r.x1 + (right ? -9 : 9);
      out.push(
        `<g transform="translate(${x(lx)},${num(y - 3)})"><title>TLS</title>`,
        `<path d="M-2.5,0 v-2.5 a2.5,2.5 0 0 1 5,0 v2.5" fill="none" stroke="${c.lock}" stroke-width="1.4"/>`,
        `<rect x="-4" y="0" width="8" height="6" rx="1" fill="${c.lock}"/></g>`,
      );
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The computed properties that make an SVG look as it does on the page. */
export const svgStyleProps = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
] as const;

/**
 * legacyColors writes the colours color-mix() computes to (`color(srgb r g b / a)`,
 * channels 0–1) as rgb()/rgba(), which every SVG viewer and slide program reads.
 */
export function legacyColors(v: string): string {
  return v.replace(/color\(srgb\s+([\d.e+-]+)\s+([\d.e+-]+)\s+([\d.e+-]+)(?:\s*\/\s*([\d.e+-]+))?\)/g, (_, r, g, b, a) => {
    const c = [r, g, b].map((x) => Math.round(Math.min(1, Math.max(0, Number(x))) * 255)).join(', ');
    return a === undefined || Number(a) >= 1 ? `rgb(${c})` : `rgba(${c}, ${Number(a)})`;
  });
}

/**
 * standaloneSvg copies an <svg> from the page into a document of its own:
 * each element gets its computed style inline (CSS variables resolved,
 * classes dropped), what is not displayed is left out, a background is
 * painted, and the size is the one it has on screen.
 */
export function standaloneSvg(svg: SVGSVGElement, opts: { title: string; bg: string; width?: number; height?: number }): { svg: string; width: number; height: number } {
  // The size it has on screen, without the margins "meet" leaves around the drawing.
  const rect = svg.getBoundingClientRect();
  const vb = svg.viewBox?.baseVal;
  const k = vb && vb.width > 0 && vb.height > 0 && rect.width > 0 ? Math.min(rect.width / vb.width, rect.height / vb.height) : 0;
  const width = Math.round(opts.width ?? (k ? vb!.width * k : rect.width)) || 600;
  const height = Math.round(opts.height ?? (k ? vb!.height * k : rect.height)) || 400;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const win = svg.ownerDocument.defaultView ?? window;
  // Only what differs from the parent (most properties inherit), so the file stays small.
  const walk = (from: Element, to: Element, parent?: CSSStyleDeclaration) => {
    const cs = win.getComputedStyle(from);
    const style = svgStyleProps
      .map((p) => [p, cs.getPropertyValue(p)] as const)
      .filter(([p, v]) => v !== '' && (p === 'opacity' ? v !== '1' : !parent || parent.getPropertyValue(p) !== v))
      .map(([p, v]) => `${p}:${legacyColors(v)}`)
      .join(';');
    if (style) to.setAttribute('style', style);
    to.removeAttribute('class');
    for (const a of [...to.attributes]) if (a.name.startsWith('data-') || a.name.startsWith('on')) to.removeAttribute(a.name);
    const kids = [...from.children];
    const copies = [...to.children];
    kids.forEach((k, i) => {
      const t = copies[i];
      if (!t) return;
      if (win.getComputedStyle(k).display === 'none') t.remove();
      else walk(k, t, cs);
    });
  };
  walk(svg, copy);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.removeAttribute('aria-label');
  copy.style.removeProperty('width');
  copy.style.removeProperty('height');
  const doc = svg.ownerDocument;
  const title = doc.createElementNS(svgNS, 'title');
  title.textContent = opts.title;
  const bg = doc.createElementNS(svgNS, 'rect');
  bg.setAttribute('x', '-100000');
  bg.setAttribute('y', '-100000');
  bg.setAttribute('width', '200000');
  bg.setAttribute('height', '200000');
  bg.setAttribute('fill', opts.bg);
  copy.prepend(title, bg);
  // Anything that would load from elsewhere goes (the topology has none; this keeps it so).
  for (const el of copy.querySelectorAll('image, foreignObject, script, style, a')) el.remove();
  for (const el of copy.querySelectorAll('*')) {
    for (const a of [...el.attributes]) if (/href$/i.test(a.name) && !a.value.startsWith('#')) el.removeAttribute(a.name);
  }
  // The serializer declares the SVG namespace itself (some twice when it is also an attribute).
  let out = new XMLSerializer().serializeToString(copy);
  if (!/^<svg[^>]*\sxmlns="/.test(out)) out = out.replace(/^<svg/, `<svg xmlns="${svgNS}"`);
  return { svg: out, width, height };
}

/** svgToPng paints an SVG document on a canvas at scale times its size (2: sharp on a projector and in slides). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

/** textMeasurer measures text in a CSS font with a canvas; without one (tests), it estimates. */
export function textMeasurer(): (text: string, font: string) => number {
  let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null = null;
  try {
    if (typeof OffscreenCanvas !== 'undefined') ctx = new OffscreenCanvas(1, 1).getContext('2d');
    else if (typeof document !== 'undefined' && !/jsdom/i.test(navigator.userAgent)) ctx = document.createElement('canvas').getContext('2d');
  } catch {
    ctx = null;
  }
  return (text, font) => {
    if (ctx) {
      ctx.font = font;
      return ctx.measureText(text).width;
    }
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 13);
    const bold = /\b(bold|[6-9]00)\b/.test(font);
    return Array.from(text).length * size * (bold ? 0.64 : 0.6);
  };
}
