// What the sequence diagram draws, shared by the panel and its pictures:
// lanes placed as wide as their names and labels, and each row as an arrow,
// a folded message body or a note, with its label cut to the room it has.

import { lineText } from '../../core/label';
import { arrowLabel, fitText, labelGap, layoutLanes, spansOf, type PairNeed, type SeqRow, type SequenceModel } from '../../core/sequence';
import type { PictureColors, PictureRow, SequencePicture } from '../../core/svgexport';
import type { MailEvent } from '../../core/types';

/** room an arrow keeps free around its label: the arrowhead at one end, a little air at the other */
export const labelPad = 30;

export interface Fonts {
  /** px of the lane names and of the labels */
  nameSize: number;
  labelSize: number;
  sans: string;
  mono: string;
}

/** What the diagram says, in the interface language. */
export interface Texts {
  name(id: string): string;
  role(id: string): string;
  note(ev: MailEvent): string;
  /** the label of a folded body of n lines */
  fold(n: number): string;
}

export type Measure = (text: string, font: string) => number;

export interface Geometry {
  lanes: string[];
  /** lane centres, and the lanes' whole width */
  x: number[];
  width: number;
  /** header width of each lane */
  headers: number[];
  /** width of one label character (labels are monospaced) */
  charW: number;
  fonts: Fonts;
}

export const nameFont = (f: Fonts): string => `600 ${f.nameSize}px ${f.sans}`;
export const roleFont = (f: Fonts): string => `${f.nameSize * 0.88}px ${f.sans}`;
export const labelFont = (f: Fonts): string => `${f.labelSize}px ${f.mono}`;
export const noteFont = (f: Fonts): string => `italic ${f.labelSize}px ${f.sans}`;

/** geometry places the lanes: each as wide as its name, each gap as wide as the labels that cross it. */
export function geometry(lanes: readonly string[], pairs: ReadonlyMap<string, PairNeed>, texts: Texts, fonts: Fonts, measure: Measure, avail: number): Geometry {
  const charW = measure('0'.repeat(20), labelFont(fonts)) / 20 || fonts.labelSize * 0.6;
  const headers = lanes.map((id) => Math.ceil(Math.max(measure(texts.name(id), nameFont(fonts)), measure(texts.role(id), roleFont(fonts)))) + 14);
  const label = (p: PairNeed) => p.chars * charW + labelPad;
  const fold = (p: PairNeed) => (Array.from(texts.fold(p.foldLines)).length + 2) * charW + labelPad;
  const { x, width } = layoutLanes(headers, spansOf(lanes, pairs, label, fold), avail);
  return { lanes: [...lanes], x, width, headers, charW, fonts };
}

const sameList = <T,>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * sameGeometry tells whether two geometries draw alike. The diagram keeps
 * its geometry while a batch of lines does not change it (nearly always),
 * so the rows' lane lines are not drawn again on every batch.
 */
export function sameGeometry(a: Geometry, b: Geometry): boolean {
  return a.width === b.width && a.charW === b.charW && a.fonts === b.fonts && sameList(a.lanes, b.lanes) && sameList(a.x, b.x) && sameList(a.headers, b.headers);
}

const laneAt = (g: Geometry, id: string | undefined): number => g.x[Math.max(0, g.lanes.indexOf(id ?? ''))] ?? g.width / 2;

/** fitChars is how many label characters fit between x1 and x2. */
export const fitChars = (g: Geometry, x1: number, x2: number): number => Math.floor((Math.abs(x2 - x1) - labelPad) / g.charW);

/** ends are the x of the sender and of the receiver of a line or packet. */
export function ends(g: Geometry, ev: MailEvent): [number, number] {
  const [from, to] = ev.dir === 'S' ? [ev.server, ev.client] : [ev.client, ev.server];
  return [laneAt(g, from), laneAt(g, to)];
}

/** arrowRow draws one line or packet. */
export function arrowRow(g: Geometry, ev: MailEvent, num: string): Extract<PictureRow, { kind: 'arrow' }> {
  const [x1, x2] = ends(g, ev);
  const full = arrowLabel(ev);
  // In the widest gap the arrow crosses: the label never sits on a lane it passes.
  const [a, b] = labelGap(g.x, x1, x2);
  return {
    kind: 'arrow',
    num,
    x1,
    x2,
    lx: (a + b) / 2,
    label: fitText(full, fitChars(g, a, b)),
    full: lineText(ev),
    server: ev.dir === 'S',
    packet: ev.kind === 'packet',
    encrypted: !!ev.encrypted,
  };
}

/** foldRow draws a folded message body of n lines. */
export function foldRow(g: Geometry, ev: MailEvent, n: number, texts: Texts, num: string, marker = ''): Extract<PictureRow, { kind: 'fold' }> {
  const [x1, x2] = ends(g, ev);
  const label = marker + texts.fold(n);
  return { kind: 'fold', num, x1, x2, label: fitText(label, fitChars(g, x1, x2) + 2), server: ev.dir === 'S' };
}

/** noteRow draws an action on its actor's lane, the text towards the wider side. */
export function noteRow(g: Geometry, ev: MailEvent, texts: Texts, num: string, measure?: Measure): Extract<PictureRow, { kind: 'note' }> {
  const x = laneAt(g, ev.actor);
  const anchor = x <= g.width / 2 ? 'start' : 'end';
  let text = texts.note(ev);
  if (measure) {
    const room = (anchor === 'start' ? g.width - x : x) - 12;
    const font = noteFont(g.fonts);
    let n = Array.from(text).length;
    while (n > 1 && measure(fitText(text, n), font) > room) n--;
    text = fitText(text, n);
  }
  return { kind: 'note', num, x, text, anchor };
}

/** pictureRows draws the rows a view with cursor steps shows, open folds with their lines. */
export function pictureRows(g: Geometry, model: SequenceModel, cursor: number, texts: Texts, measure: Measure, open: ReadonlySet<number> = new Set(), lineOf?: (step: number) => MailEvent | undefined): PictureRow[] {
  const out: PictureRow[] = [];
  const count = model.rowCount(cursor);
  for (let r = 0; r < count; r++) {
    const row: SeqRow = model.rows[r];
    const num = String(row.step + 1);
    if (row.fold) {
      const n = model.shownLines(r, cursor);
      const isOpen = open.has(row.step) && !!lineOf;
      out.push(foldRow(g, row.ev, n, texts, num));
      if (isOpen) {
        for (let i = 0; i < n; i++) {
          const ev = lineOf!(row.step + i);
          if (ev) out.push(arrowRow(g, ev, String(row.step + i + 1)));
        }
      }
    } else if (row.ev.kind === 'action') out.push(noteRow(g, row.ev, texts, num, measure));
    else out.push(arrowRow(g, row.ev, num));
  }
  return out;
}

/** picture is the whole diagram at a cursor, ready for sequenceSvg. */
export function picture(g: Geometry, rows: PictureRow[], texts: Texts, title: string, rowH: number, gutter: number): SequencePicture {
  return {
    title,
    width: g.width,
    gutter,
    rowH,
    headerH: Math.ceil(g.fonts.nameSize * 2.6),
    nameSize: g.fonts.nameSize,
    labelSize: g.fonts.labelSize,
    sans: g.fonts.sans,
    mono: g.fonts.mono,
    lanes: g.lanes.map((id, i) => ({ x: g.x[i], name: texts.name(id), role: texts.role(id) })),
    rows,
  };
}

/** cssColors reads a theme's colours from an element's CSS variables. */
export function cssColors(el: Element): PictureColors {
  const cs = getComputedStyle(el);
  const v = (name: string, dflt: string) => cs.getPropertyValue(name).trim() || dflt;
  return {
    bg: v('--panel', '#ffffff'),
    fg: v('--fg', '#1f2328'),
    muted: v('--muted', '#59636e'),
    border: v('--border', '#d0d7de'),
    client: v('--client', '#1a7f37'),
    server: v('--server', '#8250df'),
    info: v('--info', '#0969da'),
    lock: v('--lock', '#6e40c9'),
    wait: v('--wait', '#9a6700'),
  };
}

/** cssFonts reads the font stacks of the interface and sizes the diagram's text from el's font size. */
export function cssFonts(el: Element): Fonts {
  const cs = getComputedStyle(el);
  const base = parseFloat(cs.fontSize) || 16;
  const sans = cs.getPropertyValue('--font').trim() || 'system-ui, sans-serif';
  const mono = cs.getPropertyValue('--mono').trim() || 'monospace';
  return { nameSize: Math.round(base * 0.85 * 10) / 10, labelSize: Math.round(base * 0.8 * 10) / 10, sans, mono };
}
