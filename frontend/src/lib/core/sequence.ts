// Sequence (flow) diagram geometry, as Wireshark draws it: a lane per node,
// a row per line, packet or action.

import { lineText, shortLabel } from './label';
import { laneOrder } from './nodes';
import { RoleTracker } from './protocol';
import { isStepped } from './timeline';
import type { MailEvent } from './types';

/** lanesOf lists the nodes that take part in the events, in the fixed lane order. */
export function lanesOf(events: readonly MailEvent[], order: readonly string[] = laneOrder): string[] {
  const seen = new Set<string>();
  for (const ev of events) {
    if (ev.kind === 'line' || ev.kind === 'packet') {
      if (ev.client) seen.add(ev.client);
      if (ev.server) seen.add(ev.server);
    } else if (ev.kind === 'action' && ev.actor) {
      seen.add(ev.actor);
    }
  }
  const known = order.filter((id) => seen.has(id));
  const rest = [...seen].filter((id) => !order.includes(id)).sort();
  return [...known, ...rest];
}

/** addLanes records the nodes ev brings into the diagram, with the seq they first appear at. */
export function addLanes(seen: Map<string, number>, ev: MailEvent): void {
  const add = (id: string | undefined) => id && !seen.has(id) && seen.set(id, ev.seq);
  if (ev.kind === 'line' || ev.kind === 'packet') {
    add(ev.client);
    add(ev.server);
  } else if (ev.kind === 'action') {
    add(ev.actor);
  }
}

/** laneFirstSeen records when each node first takes part, so the lanes of any step come cheaply. */
export function laneFirstSeen(events: readonly MailEvent[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const ev of events) addLanes(seen, ev);
  return seen;
}

/** lanesAt lists the lanes of the nodes seen up to seq, in lane order. */
export function lanesAt(seen: Map<string, number>, seq: number, order: readonly string[] = laneOrder): string[] {
  const ids = [...seen].filter(([, s]) => s <= seq).map(([id]) => id);
  const known = order.filter((id) => ids.includes(id));
  return [...known, ...ids.filter((id) => !order.includes(id)).sort()];
}

/** laneX is the centre of lane i when n lanes share width w. */
export function laneX(i: number, n: number, w: number): number {
  return ((i + 0.5) * w) / Math.max(1, n);
}

export interface Arrow {
  seq: number;
  kind: 'arrow' | 'note';
  x1: number;
  x2: number;
  /** points right (towards x2 > x1) */
  right: boolean;
}

/** arrowOf places one row: an arrow from sender to receiver, or a note on the actor's lane. */
export function arrowOf(ev: MailEvent, lanes: readonly string[], w: number): Arrow {
  const x = (id?: string): number => laneX(Math.max(0, lanes.indexOf(id ?? '')), lanes.length, w);
  if (ev.kind === 'action') {
    const a = x(ev.actor);
    return { seq: ev.seq, kind: 'note', x1: a, x2: a, right: true };
  }
  const [from, to] = ev.dir === 'S' ? [ev.server, ev.client] : [ev.client, ev.server];
  const x1 = x(from);
  const x2 = x(to);
  return { seq: ev.seq, kind: 'arrow', x1, x2, right: x2 >= x1 };
}

// ---- The whole path, readable: folded message bodies, lanes as wide as their labels ----

/**
 * arrowLabel is what an arrow says in full: the short label, or the whole
 * line (credentials hidden) when the short label had to cut it. The view
 * cuts it again to the room it has (fitText) and shows the rest as a tooltip.
 */
export function arrowLabel(ev: MailEvent): string {
  const s = shortLabel(ev);
  return s.includes('…') ? lineText(ev) : s;
}

/** fitText cuts s to at most max characters, ending with "…" when it cut. */
export function fitText(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return max < 1 ? '' : chars.slice(0, max - 1).join('') + '…';
}

/** One row of the diagram: a stepped event, or the folded lines of one message body. */
export interface SeqRow {
  /** index of its first step (0-based, as the timeline counts steps) */
  step: number;
  /** how many steps it holds: 1, or the body's lines so far */
  n: number;
  /** seq of its first event */
  seq: number;
  /** the event (the first line of a fold) */
  ev: MailEvent;
  fold: boolean;
}

/** What the widest labels between two nodes need, over the whole history. */
export interface PairNeed {
  /** the longest arrow label, in characters (arrowLabel, cut at maxLabelChars) */
  chars: number;
  /** the most lines of a folded body between them (0: none) */
  foldLines: number;
}

/** Labels longer than this do not widen their lanes any further: they are cut, with a tooltip. */
export const maxLabelChars = 26;

/** pairKey names the two nodes of an arrow, whichever way it points. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

interface ConnFold {
  roles: RoleTracker;
  /** POP3: the verb of the last command */
  verb: string;
  /** IMAP: whether the literal being read belongs to a message (FETCH, APPEND) */
  message: boolean;
}

/**
 * SequenceModel follows the events of a run (a RunFollower) and keeps the
 * rows of the diagram: each stepped event is a row, except the lines of a
 * message body (SMTP DATA between 354 and the lone dot, a POP3 RETR/TOP
 * answer, an IMAP FETCH or APPEND literal), which fold into one row per
 * body. Each event costs O(1); rows are cut at any cursor by binary search.
 */
export class SequenceModel {
  readonly rows: SeqRow[] = [];
  readonly pairs = new Map<string, PairNeed>();
  #steps = 0;
  #conns = new Map<number, ConnFold>();

  /** steps is how many stepped events it has seen. */
  get steps(): number {
    return this.#steps;
  }

  reset(): void {
    this.rows.length = 0;
    this.pairs.clear();
    this.#steps = 0;
    this.#conns.clear();
  }

  add(ev: MailEvent): void {
    if (!isStepped(ev)) return;
    const step = this.#steps++;
    const body = ev.kind === 'line' && this.#isBody(ev);
    const last = this.rows[this.rows.length - 1];
    if (body && last?.fold && last.ev.conn === ev.conn && last.step + last.n === step) {
      last.n++;
      this.#need(ev, 0, last.n);
      return;
    }
    this.rows.push({ step, n: 1, seq: ev.seq, ev, fold: body });
    this.#need(ev, body ? 0 : Math.min(maxLabelChars, Array.from(arrowLabel(ev)).length), body ? 1 : 0);
  }

  addAll(events: Iterable<MailEvent>): this {
    for (const ev of events) this.add(ev);
    return this;
  }

  #need(ev: MailEvent, chars: number, foldLines: number): void {
    if (ev.kind === 'action' || !ev.client || !ev.server) return;
    const k = pairKey(ev.client, ev.server);
    const p = this.pairs.get(k);
    if (!p) this.pairs.set(k, { chars, foldLines });
    else {
      p.chars = Math.max(p.chars, chars);
      p.foldLines = Math.max(p.foldLines, foldLines);
    }
  }

  /** #isBody classifies a line in its connection and tells whether it is a line of a message body. */
  #isBody(ev: MailEvent): boolean {
    if (!ev.conn) return false;
    let c = this.#conns.get(ev.conn);
    if (!c) this.#conns.set(ev.conn, (c = { roles: new RoleTracker(ev.proto ?? ''), verb: '', message: false }));
    const role = c.roles.next(ev);
    const text = ev.text ?? '';
    switch (ev.proto) {
      case 'pop3':
        if (ev.dir === 'C') c.verb = (text.trim().split(/\s+/)[0] ?? '').toUpperCase();
        return role === 'data' && (c.verb === 'RETR' || c.verb === 'TOP');
      case 'imap':
        if (role === 'literal') return c.message;
        c.message = /\{\d+\+?\}$/.test(text) && /\b(FETCH|APPEND)\b/i.test(text);
        return false;
      case 'dns':
        return false;
      default:
        return role === 'data';
    }
  }

  /** rowCount is how many rows a view with cursor steps shows. */
  rowCount(cursor: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid].step < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** rowOfStep is the index of the row that holds step i (-1 when none). */
  rowOfStep(i: number): number {
    const r = this.rowCount(i + 1) - 1;
    return r >= 0 && i < this.rows[r].step + this.rows[r].n ? r : -1;
  }

  /** shownLines is how many of row r's steps a view with cursor steps shows. */
  shownLines(r: number, cursor: number): number {
    const row = this.rows[r];
    return row ? Math.max(0, Math.min(row.n, cursor - row.step)) : 0;
  }
}

/**
 * VisualIndex maps the rows on screen to model rows when some folds are
 * open: an open fold's row is followed by one row per line. O(open folds).
 */
export class VisualIndex {
  readonly total: number;
  /** open folds: row index and lines shown, by row index */
  readonly #open: { row: number; lines: number }[];

  constructor(rowCount: number, open: { row: number; lines: number }[]) {
    this.#open = open.filter((o) => o.row < rowCount && o.lines > 0).sort((a, b) => a.row - b.row);
    this.total = rowCount + this.#open.reduce((s, o) => s + o.lines, 0);
  }

  /** at is the model row and line (-1: the row itself) of visual row v. */
  at(v: number): { row: number; line: number } {
    let extra = 0;
    for (const o of this.#open) {
      const start = o.row + extra; // visual index of the fold's own row
      if (v <= start) break;
      if (v <= start + o.lines) return { row: o.row, line: v - start - 1 };
      extra += o.lines;
    }
    return { row: v - extra, line: -1 };
  }

  /** indexOf is the visual row of a model row (line -1) or of one line of an open fold. */
  indexOf(row: number, line = -1): number {
    let extra = 0;
    for (const o of this.#open) {
      if (o.row > row) break;
      if (o.row === row) return row + extra + (line >= 0 && line < o.lines ? line + 1 : 0);
      extra += o.lines;
    }
    return row + extra;
  }
}

/**
 * Room a label needs between two lanes (indexes a < b): an arrow's label sits
 * in one gap between neighbouring lanes (never across a lane it passes), a
 * folded body's box spans the whole way (whole).
 */
export interface Span {
  a: number;
  b: number;
  w: number;
  whole?: boolean;
}

export interface LaneLayout {
  /** the centre of each lane */
  x: number[];
  /** the whole diagram's width */
  width: number;
}

/**
 * layoutLanes places lanes of the given header widths so that every span's
 * label fits between its two lanes and no two headers touch; when that needs
 * less than avail, the lanes spread over avail. Greedy, the shortest spans
 * first: an arrow's label widens the widest gap it crosses (so it need not
 * cross a lane), a whole span shares its deficit among its gaps.
 */
export function layoutLanes(headers: readonly number[], spans: readonly Span[], avail: number, gapPad = 10, margin = 4): LaneLayout {
  const n = headers.length;
  if (n === 0) return { x: [], width: Math.max(0, avail) };
  const gaps = headers.slice(1).map((w, i) => (headers[i] + w) / 2 + gapPad);
  const order = [...spans].sort((p, q) => Number(!!p.whole) - Number(!!q.whole) || p.b - p.a - (q.b - q.a));
  for (const s of order) {
    if (s.a < 0 || s.b >= n || s.b <= s.a) continue;
    if (!s.whole) {
      let widest = s.a;
      for (let i = s.a; i < s.b; i++) if (gaps[i] > gaps[widest]) widest = i;
      gaps[widest] = Math.max(gaps[widest], s.w);
      continue;
    }
    let have = 0;
    for (let i = s.a; i < s.b; i++) have += gaps[i];
    const more = (s.w - have) / (s.b - s.a);
    if (more > 0) for (let i = s.a; i < s.b; i++) gaps[i] += more;
  }
  let left = headers[0] / 2 + margin;
  let right = headers[n - 1] / 2 + margin;
  const need = left + right + gaps.reduce((s, g) => s + g, 0);
  if (need < avail) {
    const extra = (avail - need) / n;
    for (let i = 0; i < gaps.length; i++) gaps[i] += extra;
    left += extra / 2;
    right += extra / 2;
  }
  const x = [left];
  for (const g of gaps) x.push(x[x.length - 1] + g);
  return { x, width: x[n - 1] + right };
}

/**
 * spansOf turns the needs of node pairs into spans between the lanes shown
 * (pairs with a lane not shown are skipped): one for the arrows' labels, one
 * for the folded bodies' boxes.
 */
export function spansOf(lanes: readonly string[], pairs: ReadonlyMap<string, PairNeed>, label: (p: PairNeed) => number, fold: (p: PairNeed) => number = () => 0): Span[] {
  const at = new Map(lanes.map((id, i) => [id, i]));
  const out: Span[] = [];
  for (const [k, p] of pairs) {
    const [u, v] = k.split('|');
    const i = at.get(u);
    const j = at.get(v);
    if (i === undefined || j === undefined || i === j) continue;
    const [a, b] = [Math.min(i, j), Math.max(i, j)];
    if (p.chars) out.push({ a, b, w: label(p) });
    if (p.foldLines) out.push({ a, b, w: fold(p), whole: true });
  }
  return out;
}

/** labelGap is the widest gap between neighbouring lanes from x1 to x2: where an arrow's label goes. */
export function labelGap(laneXs: readonly number[], x1: number, x2: number): [number, number] {
  const lo = Math.min(x1, x2);
  const hi = Math.max(x1, x2);
  const stops = [lo, ...laneXs.filter((v) => v > lo + 0.5 && v < hi - 0.5).sort((p, q) => p - q), hi];
  let best: [number, number] = [stops[0], stops[1]];
  for (let i = 1; i < stops.length - 1; i++) if (stops[i + 1] - stops[i] > best[1] - best[0]) best = [stops[i], stops[i + 1]];
  return best;
}

/** scrollSpan returns the scrollLeft that shows [x1, x2] (plus margin) in a view of width w after a frozen left part of width fixed, or null when it shows already. */
export function scrollSpan(x1: number, x2: number, scrollLeft: number, w: number, fixed = 0, margin = 24): number | null {
  const lo = Math.min(x1, x2) - margin;
  const hi = Math.max(x1, x2) + margin;
  const viewLo = scrollLeft + fixed;
  const viewHi = scrollLeft + w;
  if (lo >= viewLo && hi <= viewHi) return null;
  if (hi - lo > w - fixed || lo < viewLo) return Math.max(0, lo - fixed);
  return Math.max(0, hi - w);
}
