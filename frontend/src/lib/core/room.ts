// The room screen's plain logic (#19): the data hostRoom/roomScreen bring,
// where each student's provider sits on the map, how a delivery becomes
// an animated arrow (icon, text and colour: never colour alone), the QR
// code's matrix as SVG rectangles, and the log's bounded merge.

import { rectAt, type Point, type Rect } from './geometry';

export interface RoomPorts {
  offset: number;
  smtp: number;
  submission: number;
  submissions: number;
  pop3: number;
  pop3s: number;
  imap: number;
  imaps: number;
}

/** RoomOptions are the teacher's choices for a room (Go: app.RoomOptions). */
export interface RoomOptions {
  room: string;
  bind: string;
  code: string;
  portOffset: number;
  wellKnownPorts: boolean;
}

export interface RoomNode {
  name: string;
  domain: string;
  address: string;
  online: boolean;
  joined: string;
  sent: number;
  received: number;
  /** the last delivery to it was deferred: its machine may be off */
  waiting?: boolean;
  /** not answering: its Maillab has said nothing for a few heartbeats without leaving */
  silent?: boolean;
  /** it reported the room's challenge solved */
  solved?: boolean;
}

/** RoomChallenge is the challenge handed out to the room (Go: app.RoomChallenge). */
export interface RoomChallenge {
  round: number;
  /** a shipped challenge's id; none for a challenge file */
  id?: string;
  own?: boolean;
  title: string;
  /** students in the room who solved it, of the students in the room */
  solved: number;
  of: number;
  /** "N of M solved" in the language asked for */
  solvedLine: string;
}

export type Outcome = 'delivered' | 'deferred' | 'bounced' | 'refused';

export interface RoomEntry {
  seq: number;
  kind: 'joined' | 'left' | 'silent' | 'back' | 'delivery' | 'challenge' | 'withdrawn' | 'solved';
  time: string;
  /** the challenge's title (challenge, withdrawn, solved) */
  title?: string;
  domain?: string;
  from?: string;
  to?: string;
  outcome?: Outcome;
  status?: string;
}

export interface RoomCounts {
  deliveries: number;
  delivered: number;
  deferred: number;
  bounced: number;
  refused: number;
  online: number;
  /** in the room but not answering */
  silent?: number;
}

/** RoomScreen is what roomScreen(lang, since) answers (Go: app.RoomScreen). */
export interface RoomScreen {
  open: boolean;
  lan: string;
  room?: string;
  zone?: string;
  code?: string;
  joinAddress?: string;
  joinLink?: string;
  joinCommand?: string;
  dns?: string;
  ports: RoomPorts;
  portsLine?: string;
  qr: boolean[][];
  nodes: RoomNode[];
  counts: RoomCounts;
  /** the challenge handed out to the room, if any */
  challenge?: RoomChallenge;
  entries: RoomEntry[];
  last: number;
  more: boolean;
}

/** RoomPush is what the Go side pushes when the room changes. */
export interface RoomPush {
  open: boolean;
  last: number;
}

export const emptyCounts: RoomCounts = { deliveries: 0, delivered: 0, deferred: 0, bounced: 0, refused: 0, online: 0 };

/** normalScreen fills what Go's nil slices leave out. */
export function normalScreen(s: Partial<RoomScreen> | null | undefined): RoomScreen {
  return {
    open: !!s?.open,
    lan: s?.lan ?? '',
    room: s?.room,
    zone: s?.zone,
    code: s?.code,
    joinAddress: s?.joinAddress,
    joinLink: s?.joinLink,
    joinCommand: s?.joinCommand,
    dns: s?.dns,
    ports: s?.ports ?? { offset: 0, smtp: 0, submission: 0, submissions: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
    portsLine: s?.portsLine,
    qr: s?.qr ?? [],
    nodes: s?.nodes ?? [],
    counts: s?.counts ?? emptyCounts,
    challenge: s?.challenge ?? undefined,
    entries: s?.entries ?? [],
    last: s?.last ?? 0,
    more: !!s?.more,
  };
}

// ---- the map -------------------------------------------------------------

/** The map's drawing area (SVG viewBox units) and a node's box. */
export const mapSize = { w: 1200, h: 720 };
export const nodeSize = { w: 176, h: 78 };
/** maxRing: up to this many nodes sit on a ring; more go into a grid. */
export const maxRing = 14;

export interface Placed {
  node: RoomNode;
  at: Point;
  box: Rect;
}

/**
 * layoutRoom places the providers in their order (by name, as the Go side
 * sends them): up to maxRing on an ellipse around the centre, the first
 * at the top, clockwise, so every arrow crosses the middle; more in a
 * grid of rows filling the area, so 30 boxes never touch.
 */
export function layoutRoom(nodes: RoomNode[], size = mapSize, box = nodeSize): Placed[] {
  const n = nodes.length;
  if (n > maxRing) {
    const cols = Math.ceil(Math.sqrt((n * size.w * box.h) / (size.h * box.w)));
    const rows = Math.ceil(n / cols);
    const cw = size.w / cols;
    const ch = size.h / rows;
    return nodes.map((node, i) => {
      const row = Math.floor(i / cols);
      // The last row, if short, is centred.
      const inRow = row === rows - 1 ? n - row * cols : cols;
      const x0 = (size.w - inRow * cw) / 2;
      const at = { x: x0 + cw * ((i % cols) + 0.5), y: ch * (row + 0.5) };
      return { node, at, box: rectAt(at, box.w, box.h) };
    });
  }
  const cx = size.w / 2;
  const cy = size.h / 2;
  const rx = size.w / 2 - box.w / 2 - 8;
  const ry = size.h / 2 - box.h / 2 - 8;
  return nodes.map((node, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
    const at = n === 1 ? { x: cx, y: cy } : { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) };
    return { node, at, box: rectAt(at, box.w, box.h) };
  });
}

/** MapFit is a layout for a map drawn at a container's size. */
export interface MapFit {
  /** the viewBox: the container's size in px divided by the scale */
  size: { w: number; h: number };
  /** px per viewBox unit: 1 while the nodes have room, less in a crowded room */
  scale: number;
  placed: Placed[];
}

/**
 * fitMap lays the providers out for a map w×h px large: node boxes and
 * their words keep their size in px (the projector's) while they have
 * room; a crowded room shrinks everything just enough that no two boxes
 * touch and each stays inside.
 */
export function fitMap(nodes: RoomNode[], w: number, h: number, box = nodeSize): MapFit {
  w = Math.max(w, 1);
  h = Math.max(h, 1);
  // A first guess from the area a node needs, then smaller until it fits.
  let scale = Math.min(1, Math.sqrt((w * h) / (Math.max(nodes.length, 4) * (box.w + 40) * (box.h + 40) * 1.4)));
  for (let i = 0; ; i++) {
    const size = { w: Math.max(w / scale, box.w * 1.2), h: Math.max(h / scale, box.h * 1.5) };
    const placed = layoutRoom(nodes, size, box);
    if (i >= 30 || fits(placed, size)) return { size, scale, placed };
    scale *= 0.92;
  }
}

function fits(placed: Placed[], size: { w: number; h: number }): boolean {
  for (let i = 0; i < placed.length; i++) {
    const a = placed[i].box;
    if (a.x < 0 || a.y < 0 || a.x + a.w > size.w || a.y + a.h > size.h) return false;
    for (let j = i + 1; j < placed.length; j++) {
      const b = placed[j].box;
      // A gap of 8 units, so arrows and words have room between.
      if (a.x < b.x + b.w + 8 && b.x < a.x + a.w + 8 && a.y < b.y + b.h + 8 && b.y < a.y + a.h + 8) return false;
    }
  }
  return true;
}

/** edgePoint is where the line from a box's centre towards p leaves the box. */
export function edgePoint(r: Rect, p: Point): Point {
  const c = { x: r.x + r.w / 2, y: r.y + r.h / 2 };
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const s = Math.min(dx === 0 ? Infinity : r.w / 2 / Math.abs(dx), dy === 0 ? Infinity : r.h / 2 / Math.abs(dy));
  return { x: c.x + dx * s, y: c.y + dy * s };
}

// ---- deliveries as arrows --------------------------------------------------

/** OutcomeView is how an outcome shows: an icon and words as well as a colour class. */
export interface OutcomeView {
  outcome: Outcome;
  icon: string;
  /** the catalogue key of its word */
  key: string;
  /** a CSS class: the colour, and a dash pattern so it does not rest on colour */
  cls: string;
  /** an outcome that did not get there: the arrow stops short, halfway */
  reaches: boolean;
}

const outcomes: Record<Outcome, OutcomeView> = {
  delivered: { outcome: 'delivered', icon: '✓', key: 'ui.room.outcome.delivered', cls: 'ok', reaches: true },
  deferred: { outcome: 'deferred', icon: '◷', key: 'ui.room.outcome.deferred', cls: 'wait', reaches: false },
  bounced: { outcome: 'bounced', icon: '↩', key: 'ui.room.outcome.bounced', cls: 'bounce', reaches: false },
  refused: { outcome: 'refused', icon: '⊘', key: 'ui.room.outcome.refused', cls: 'refuse', reaches: false },
};

export function outcomeView(o: string | undefined): OutcomeView {
  return outcomes[(o ?? '') as Outcome] ?? outcomes.bounced;
}

/** Flight is one delivery on its way across the map. */
export interface Flight {
  seq: number;
  from: Point;
  to: Point;
  /** where the arrow ends: the recipient's edge, or halfway for a delivery that did not arrive */
  end: Point;
  /** the SVG path: a gentle curve (a grid's straight lines would run through the nodes between) */
  path: string;
  view: OutcomeView;
  status: string;
}

/** maxFlights bounds the arrows on screen at once: a burst shows its newest. */
export const maxFlights = 24;

/**
 * flightsFor turns new delivery entries into arrows between the placed
 * providers; entries naming a provider not on the map draw nothing (a
 * domain outside the room, or one that was let go).
 */
export function flightsFor(entries: RoomEntry[], placed: Placed[], limit = maxFlights): Flight[] {
  const at = new Map(placed.map((p) => [p.node.domain, p]));
  const out: Flight[] = [];
  for (const e of entries) {
    if (e.kind !== 'delivery') continue;
    const a = at.get(e.from ?? '');
    const b = at.get(e.to ?? '');
    if (!a || !b || a === b) continue;
    const from = edgePoint(a.box, b.at);
    const to = edgePoint(b.box, a.at);
    const view = outcomeView(e.outcome);
    // The control point stands off the middle, to the right of the way.
    const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
    const c = { x: mid.x - (to.y - from.y) * 0.15, y: mid.y + (to.x - from.x) * 0.15 };
    // Halfway (de Casteljau): the curve's first half ends at B(½).
    const half = { x: (from.x + 2 * c.x + to.x) / 4, y: (from.y + 2 * c.y + to.y) / 4 };
    const [ctrl, end] = view.reaches ? [c, to] : [{ x: (from.x + c.x) / 2, y: (from.y + c.y) / 2 }, half];
    const r = (v: number) => Math.round(v * 10) / 10;
    const path = `M${r(from.x)},${r(from.y)} Q${r(ctrl.x)},${r(ctrl.y)} ${r(end.x)},${r(end.y)}`;
    out.push({ seq: e.seq, from, to, end, path, view, status: e.status ?? '' });
  }
  return out.slice(-limit);
}

// ---- the log ---------------------------------------------------------------

/** maxLog is how many entries the screen keeps for its list. */
export const maxLog = 200;

/** mergeEntries adds a page to the log, once each (by seq), keeping the newest maxLog. */
export function mergeEntries(log: RoomEntry[], page: RoomEntry[], keep = maxLog): RoomEntry[] {
  const last = log.length ? log[log.length - 1].seq : 0;
  const fresh = page.filter((e) => e.seq > last);
  if (!fresh.length) return log;
  return [...log, ...fresh].slice(-keep);
}

/** NodeState is how a node's state shows: a word (catalogue key) and a sign besides the border. */
export function nodeState(n: RoomNode): { state: 'online' | 'waiting' | 'silent' | 'offline'; icon: string; key: string; label: string } {
  if (!n.online) return { state: 'offline', icon: '○', key: 'ui.room.offline', label: 'ui.room.node-offline' };
  if (n.silent) return { state: 'silent', icon: '?', key: 'ui.room.silent', label: 'ui.room.node-silent' };
  if (n.waiting) return { state: 'waiting', icon: '◷', key: 'ui.room.waiting', label: 'ui.room.node-waiting' };
  return { state: 'online', icon: '●', key: 'ui.room.online', label: 'ui.room.node-online' };
}

/** presenceSign is the sign of an entry that is no delivery (joined, answers again, not answering, left). */
export const presenceSign: Record<string, string> = { joined: '+', back: '+', silent: '?', left: '−' };
/** solvedSign is how a provider that solved the room's challenge shows: a star and a word besides the colour. */
export const solvedSign = { icon: '★', key: 'ui.room.solved', label: 'ui.room.node-solved', cls: 'ok' } as const;

/** entryIcon is the sign before an entry in the list (the outcome's for a delivery). */
export function entryIcon(e: RoomEntry): string {
  switch (e.kind) {
    case 'joined':
    case 'back':
    case 'silent':
    case 'left':
      return presenceSign[e.kind];
    case 'challenge':
      return '⚑';
    case 'withdrawn':
      return '⚐';
    case 'solved':
      return solvedSign.icon;
  }
  return outcomeView(e.outcome).icon;
}

/** entryText is an entry's sentence. */
export function entryText(e: RoomEntry, t: (key: string, params?: Record<string, string>) => string): string {
  switch (e.kind) {
    case 'joined':
      return t('ui.room.entry.joined', { domain: e.domain ?? '' });
    case 'left':
      return t('ui.room.entry.left', { domain: e.domain ?? '' });
    case 'silent':
      return t('ui.room.entry.silent', { domain: e.domain ?? '' });
    case 'back':
      return t('ui.room.entry.back', { domain: e.domain ?? '' });
    case 'challenge':
    case 'withdrawn':
      return t(`ui.room.entry.${e.kind}`, { title: e.title ?? '' });
    case 'solved':
      return t('ui.room.entry.solved', { domain: e.domain ?? '', title: e.title ?? '' });
  }
  const v = outcomeView(e.outcome);
  return t('ui.room.entry.delivery', { from: e.from ?? '', to: e.to ?? '', outcome: t(v.key), status: e.status ?? '' });
}

// ---- the QR code -----------------------------------------------------------

/** QRDrawing is a QR matrix as SVG rectangles: one per run of dark modules in a row. */
export interface QRDrawing {
  /** the side in modules, quiet zone included */
  size: number;
  rects: { x: number; y: number; w: number }[];
}

/** qrQuiet is the light border a reader needs around the code (ISO/IEC 18004: four modules). */
export const qrQuiet = 4;

/**
 * qrRects draws a matrix (rows of booleans, true dark) with its quiet
 * zone: only booleans go in, only numbers come out, never markup.
 */
export function qrRects(m: boolean[][], quiet = qrQuiet): QRDrawing {
  const n = m.length;
  const rects: QRDrawing['rects'] = [];
  for (let y = 0; y < n; y++) {
    const row = m[y] ?? [];
    let x = 0;
    while (x < n) {
      if (row[x] !== true) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && row[x] === true) x++;
      rects.push({ x: start + quiet, y: y + quiet, w: x - start });
    }
  }
  return { size: n ? n + 2 * quiet : 0, rects };
}
