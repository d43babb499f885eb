// Topology geometry: two provider frames (example.org left, example.net
// right, DNS in the middle) and, in a world with a third provider,
// example.com's frame in a row below them; edges for each service a client used, labels
// beside them and the track an envelope travels along.
//
// The drawing is laid out for the panel it is in, in the panel's own pixels:
// the text is as large as the panel allows (up to a cap), measured with the
// fonts the page really uses, and everything else follows the text.

import {
  bezier,
  contains,
  distToRect,
  inflate,
  inside,
  intersects,
  lerp,
  nearestOnRect,
  overlapArea,
  polylineHitsRect,
  rectAt,
  sample,
  subCurve,
  tangent,
  type Point,
  type Rect,
} from './geometry';
import type { ConnInfo } from './connections';
import type { NodeInfo } from './types';

export type { Point, Rect } from './geometry';

export interface Font {
  size: number;
  weight?: number;
  mono?: boolean;
}

export interface TextSize {
  w: number;
  /** the font's ascent and descent: the height a browser gives the text's box */
  asc: number;
  desc: number;
}

/** Measure tells how wide a text is in a font, and how high the font's line box. */
export type Measure = (text: string, font: Font) => TextSize;

/** estimate measures like a wide sans-serif (DejaVu Sans): for tests and engines without a canvas. */
export const estimate: Measure = (text, f) => ({
  w: [...text].length * f.size * (f.mono ? 0.61 : (f.weight ?? 400) >= 600 ? 0.68 : 0.62),
  asc: 0.93 * f.size,
  desc: 0.24 * f.size,
});

export interface NodeBox extends Point {
  id: string;
  w: number;
  h: number;
  node: NodeInfo;
  name: string;
  meta: string;
  /** baselines of the name and the role · address line, from the box's top */
  nameY: number;
  metaY: number;
}

export interface Frame {
  domain: string;
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  /** the title's baseline centre, and the box its text takes */
  titleAt: Point;
  titleBox: Rect;
}

export interface Scene {
  w: number;
  h: number;
  /** name and address sizes in px; the name's weight */
  name: number;
  nameWeight: number;
  addr: number;
  boxes: Map<string, NodeBox>;
  frames: Frame[];
  measure: Measure;
}

export interface SceneText {
  /** what a node is called on screen */
  name: (n: NodeInfo) => string;
  /** the title of a provider's frame */
  frame: (domain: string) => string;
}

/** meta is a node's second line: its role and address (thin spaces around the dot: every pixel of width counts). */
/** meta is a node's second line: its role and address (a classmate's provider has none of its own: any address of the room). */
export const meta = (n: NodeInfo): string => (n.ip ? `${n.role}\u2009·\u2009${n.ip}` : n.role);

/** The default drawing, for callers without a panel (and the tests). */
export const view = { w: 860, h: 350 };

/** Where each node of product.md sits: a column (0–4) and a row (0–3). */
const places: Record<string, { c: number; r: number }> = {
  'alice-laptop': { c: 0, r: 0.5 },
  'smtp.example.org': { c: 1, r: 0 },
  'mx.example.org': { c: 1, r: 1 },
  'mda.example.org': { c: 1, r: 2 },
  'mail.example.org': { c: 1, r: 3 },
  impostor: { c: 2, r: 1 },
  dns: { c: 2, r: 2 },
  external: { c: 2, r: 3 },
  'smtp.example.net': { c: 3, r: 0 },
  'mx.example.net': { c: 3, r: 1 },
  'mda.example.net': { c: 3, r: 2 },
  'mail.example.net': { c: 3, r: 3 },
  // Carol and Dave show only in the runs they take part in (the Bcc and security lessons).
  'carol-laptop': { c: 4, r: 0 },
  'bob-laptop': { c: 4, r: 1 },
  'bob-phone': { c: 4, r: 2 },
  'dave-laptop': { c: 4, r: 3 },
};

/**
 * Where example.com's nodes sit when the world has a third provider: one
 * row below the other two frames, in these slots from the left (w: as wide
 * as the devices, 0, or the servers, 1). mx.example.com takes the middle,
 * under DNS (which it asks) and clear of example.org's servers (whose MSA
 * sends to it); Erin's laptop sits beside her mail server.
 */
const thirdDomain = 'example.com';

const bottomPlaces: Record<string, { slot: number; c: number }> = {
  'erin-laptop': { slot: 0, c: 0 },
  'mail.example.com': { slot: 1, c: 1 },
  'mx.example.com': { slot: 2, c: 1 },
  'mda.example.com': { slot: 3, c: 1 },
  'smtp.example.com': { slot: 4, c: 1 },
};

/** In a world with a third provider the external client moves up: the middle column under DNS stays free for the edges down to example.com. */
const thirdPlaces: Record<string, { c: number; r: number }> = {
  external: { c: 2, r: 1 },
  impostor: { c: 2, r: 0 },
};

/**
 * bottomPlace is a node's slot in the row below, for example.com's nodes
 * and for a classroom student's provider (any other domain), which gets
 * the same compact frame: the laptop and phone, then mail, mx, mda and
 * smtp of its domain.
 */
function bottomPlace(n: NodeInfo): { slot: number; c: number } | undefined {
  const p = bottomPlaces[n.id];
  if (p) return p;
  const d = n.domain;
  if (!d || d === 'example.org' || d === 'example.net' || d === thirdDomain) return undefined;
  if (n.role === 'MUA') return { slot: n.id.endsWith('-phone') ? 1 : 0, c: 0 };
  const i = ['mail.', 'mx.', 'mda.', 'smtp.'].findIndex((h) => n.id === h + d);
  return i < 0 ? undefined : { slot: 2 + i, c: 1 };
}

/** bottomDomain is the provider of the row below: example.com, or a classroom student's domain. */
export function bottomDomain(nodes: readonly NodeInfo[]): string {
  if (nodes.some((n) => n.domain === thirdDomain)) return thirdDomain;
  return nodes.find((n) => bottomPlace(n))?.domain ?? thirdDomain;
}

/** hasThird tells whether the nodes include a provider in the row below (example.com's, or a classroom student's). */
export const hasThird = (nodes: readonly NodeInfo[]): boolean => nodes.some((n) => n.domain === 'example.com' || !!bottomPlace(n));

/** Rows of the middle column a node nobody planned for may take, best first. */
const spareRows = [0, 1, 0.5, 1.5, 2.5, 3, 2];

/** placeOf gives every node a column and row; unknown ones take free rows of the middle column. */
function placeOf(nodes: readonly NodeInfo[], third = false): Map<string, { c: number; r: number }> {
  const out = new Map<string, { c: number; r: number }>();
  const mid: number[] = [];
  for (const n of nodes) {
    if (third && bottomPlace(n)) continue;
    const p = (third && thirdPlaces[n.id]) || places[n.id];
    if (p) {
      out.set(n.id, p);
      if (p.c === 2) mid.push(p.r);
    }
  }
  // The people's devices on Bob's side leave room beside the gap between
  // mx and mda (for LMTP's label) and the corner beside mail.example.net
  // (where the labels and envelopes of the mail clients' edges go).
  const right = nodes.filter((n) => places[n.id]?.c === 4).sort((a, b) => places[a.id].r - places[b.id].r);
  const rows = [[0.5], [0, 2], [0, 1, 2], [0, 1, 2, 3]][right.length - 1] ?? [];
  right.forEach((n, i) => out.set(n.id, { c: 4, r: rows[i] ?? places[n.id].r }));
  let extra = 0;
  for (const n of nodes) {
    if (out.has(n.id) || (third && bottomPlace(n))) continue;
    const r = spareRows.find((r) => mid.every((m) => Math.abs(m - r) >= 1)) ?? Math.min(3, 0.5 * extra++);
    mid.push(r);
    out.set(n.id, { c: 2, r });
  }
  return out;
}

const providers = ['example.org', 'example.net'] as const;

/**
 * sceneAt lays the nodes out with names of size s (px) and the given
 * weight, or returns undefined when they do not fit the w×h panel.
 */
function sceneAt(
  nodes: readonly NodeInfo[],
  size: { w: number; h: number },
  text: SceneText,
  measure: Measure,
  s: number,
  weight: number,
): Scene | undefined {
  const { w: W, h: H } = size;
  const a = addrSize(s);
  const fName: Font = { size: s, weight };
  const fMeta: Font = { size: a };
  const fTitle: Font = { size: a, weight: 600 };
  const mName = measure('Hg', fName);
  const mMeta = measure('Hg', fMeta);
  const padX = 0.38 * a;
  const padY = 0.2 * a;
  const gapLine = 0.1 * a;
  const boxH = 2 * padY + mName.asc + mName.desc + gapLine + mMeta.asc + mMeta.desc;
  const nameY = padY + mName.asc;
  const metaY = nameY + mName.desc + gapLine + mMeta.asc;

  const third = hasThird(nodes);
  const where = placeOf(nodes, third);
  const below = third ? nodes.filter((n) => bottomPlace(n)).sort((x, y) => bottomPlace(x)!.slot - bottomPlace(y)!.slot) : [];
  const texts = new Map<string, { name: string; meta: string; w: number }>();
  const colW = [0, 0, 0, 0, 0];
  for (const n of nodes) {
    const name = text.name(n);
    const m = meta(n);
    const w = Math.max(measure(name, fName).w, measure(m, fMeta).w) + 2 * padX;
    texts.set(n.id, { name, meta: m, w });
    const c = where.get(n.id)?.c ?? bottomPlace(n)?.c ?? 2;
    colW[c] = Math.max(colW[c], w);
  }
  // Symmetric: devices as wide on both sides, servers too, DNS in the middle.
  colW[0] = colW[4] = Math.max(colW[0], colW[4], 4 * a);
  colW[1] = colW[3] = Math.max(colW[1], colW[3], 4 * a);
  colW[2] = Math.max(colW[2], 4 * a);

  const m = 2; // room for strokes at the panel's edge
  const fp = 0.4 * a; // a frame's padding
  const gap = (W - 2 * m - 4 * fp - colW.reduce((x, y) => x + y, 0)) / 4;
  if (gap < 1.2 * a) return undefined;

  const left: number[] = [];
  let x = m + fp;
  left[0] = x;
  left[1] = (x += colW[0] + gap);
  left[2] = (x += colW[1] + fp + gap);
  left[3] = (x += colW[2] + gap + fp);
  left[4] = x + colW[3] + gap;
  const frameX = [m, left[3] - fp];
  const frameW = fp + colW[0] + gap + colW[1] + fp;

  const mTitle = measure('Hg', fTitle);
  const titles = providers.map((d) => text.frame(d));
  if (titles.some((t) => measure(t, fTitle).w > frameW - 2 * fp)) return undefined;
  const titleTop = m + 0.35 * a;
  const titleBlock = 0.35 * a + mTitle.asc + mTitle.desc + 0.45 * a; // a frame's top to its first row
  const top = m + titleBlock;
  const minGapV = 0.45 * a;
  // With a third provider the two frames end above its frame (fgap apart), which holds one row.
  const fgap = 0.5 * a;
  const below3 = third ? fgap + titleBlock + boxH + fp : 0;
  const bottom = H - m - fp - below3;
  const avail = bottom - top;
  if (avail < 4 * boxH + 3 * minGapV) return undefined;
  const pitch = Math.min((avail - boxH) / 3, 2.4 * boxH);
  // What the rows leave over: all around them, or with a third provider half for each band.
  const spare = avail - (3 * pitch + boxH);
  const top0 = top + (third ? spare / 4 : spare / 2);
  const frameH = third ? titleBlock + 3 * pitch + boxH + fp + spare / 2 : H - 2 * m;

  const boxes = new Map<string, NodeBox>();
  for (const n of nodes) {
    const p = where.get(n.id);
    if (!p) continue; // example.com's: in its row, below
    const t = texts.get(n.id)!;
    boxes.set(n.id, {
      id: n.id,
      x: p.c === 2 ? W / 2 : left[p.c] + colW[p.c] / 2, // the layout is symmetric: DNS exactly in the middle
      y: top0 + boxH / 2 + p.r * pitch,
      w: colW[p.c],
      h: boxH,
      node: n,
      name: t.name,
      meta: t.meta,
      nameY,
      metaY,
    });
  }
  const frames: Frame[] = providers.map((domain, i) => {
    const tw = measure(titles[i], fTitle).w;
    const cx = frameX[i] + frameW / 2;
    return {
      domain,
      x: frameX[i],
      y: m,
      w: frameW,
      h: frameH,
      title: titles[i],
      titleAt: { x: cx, y: titleTop + mTitle.asc },
      titleBox: { x: cx - tw / 2, y: titleTop, w: tw, h: mTitle.asc + mTitle.desc },
    };
  });
  if (third) {
    // example.com's frame: the whole width below the other two, its nodes in one row, evenly apart.
    const ws = below.map((n) => colW[bottomPlace(n)!.c]);
    const gapB = (W - 2 * m - 2 * fp - ws.reduce((x, y) => x + y, 0)) / Math.max(1, ws.length - 1);
    if (gapB < 1.2 * a) return undefined;
    const fy = m + frameH + fgap;
    const fh = H - m - fy;
    const rowTop = fy + titleBlock + (fh - titleBlock - boxH - fp) / 2;
    let x = m + fp;
    below.forEach((n, i) => {
      const t = texts.get(n.id)!;
      boxes.set(n.id, { id: n.id, x: x + ws[i] / 2, y: rowTop + boxH / 2, w: ws[i], h: boxH, node: n, name: t.name, meta: t.meta, nameY, metaY });
      x += ws[i] + gapB;
    });
    // The title over the last two nodes (mda and smtp.example.com): the edges down to mx.example.com come in at the
    // middle, and the label of Erin's laptop's edge to her mail server goes above it, on the left.
    const lower = bottomDomain(nodes);
    const title = text.frame(lower);
    const tw = measure(title, fTitle).w;
    const k = ws.length;
    const span = k > 1 ? ws[k - 2] + gapB + ws[k - 1] : W - 2 * m - 2 * fp;
    if (tw > span) return undefined;
    const cx = W - m - fp - span / 2;
    const ty = fy + 0.35 * a;
    frames.push({
      domain: lower,
      x: m,
      y: fy,
      w: W - 2 * m,
      h: fh,
      title,
      titleAt: { x: cx, y: ty + mTitle.asc },
      titleBox: { x: cx - tw / 2, y: ty, w: tw, h: mTitle.asc + mTitle.desc },
    });
  }
  return { w: W, h: H, name: s, nameWeight: weight, addr: a, boxes, frames, measure };
}

/** addrSize is the size of addresses and labels for names of size s: 13 px beside 16, 19.7 beside 24. */
export const addrSize = (s: number): number => Math.round(s * 0.82 * 100) / 100;

/** largest finds the largest name size in [lo, hi] for which the scene fits. */
function largest(fit: (s: number) => Scene | undefined, lo: number, hi: number): Scene | undefined {
  const top = fit(hi);
  if (top) return top;
  let best = fit(lo);
  if (!best) return undefined;
  for (let i = 0; i < 14 && hi - lo > 0.05; i++) {
    const mid = (lo + hi) / 2;
    const s = fit(mid);
    if (s) {
      best = s;
      lo = mid;
    } else hi = mid;
  }
  return best;
}

export interface SceneOptions {
  /** the largest name size wanted (px) */
  maxName?: number;
  /** the smallest: below it the scene is drawn anyway, if crowded */
  minName?: number;
}

/**
 * layoutScene places every node in a w×h panel with the largest text that
 * fits (names semibold when that costs little, else regular).
 */
export function layoutScene(
  nodes: readonly NodeInfo[],
  size: { w: number; h: number },
  text: SceneText,
  measure: Measure = estimate,
  opts: SceneOptions = {},
): Scene {
  const hi = opts.maxName ?? 24;
  const lo = opts.minName ?? 6;
  const bold = largest((s) => sceneAt(nodes, size, text, measure, s, 600), lo, hi);
  const regular = largest((s) => sceneAt(nodes, size, text, measure, s, 400), lo, hi);
  if (bold && (!regular || bold.name >= regular.name * 0.97)) return bold;
  if (regular) return regular;
  // Too small a panel for text of the smallest size: lay it out larger, in
  // the panel's proportions, to be drawn scaled down (the scene's w×h is then
  // more than the panel's).
  let big = { ...size };
  for (let i = 0; i < 12; i++) {
    big = { w: Math.max(big.w * 1.25, 200), h: Math.max(big.h * 1.25, 80) };
    const s = sceneAt(nodes, big, text, measure, lo, 400);
    if (s) return s;
  }
  return sceneAt(nodes, { w: 4000, h: 1500 }, text, measure, lo, 400)!;
}

const defaultText: SceneText = { name: (n) => n.id, frame: (d) => d };

/** layoutNodes places nodes in the default drawing (view), with estimated text sizes. */
export function layoutNodes(nodes: readonly NodeInfo[]): Map<string, NodeBox> {
  return layoutScene(nodes, view, defaultText).boxes;
}

/**
 * shownNodes is the nodes the topology draws: the world of product.md
 * always, any other node (Carol, Dave, an impostor) once it takes part.
 */
export function shownNodes(nodes: readonly NodeInfo[], taking: ReadonlySet<string>, always: ReadonlySet<string>): NodeInfo[] {
  // A third provider is part of its world: all of example.com's nodes, from the first step.
  // So is a classroom student's provider.
  return nodes.filter((n) => always.has(n.id) || taking.has(n.id) || n.domain === thirdDomain || !!bottomPlace(n));
}

export interface Edge {
  key: string;
  client: string;
  server: string;
  proto: string;
  port: number;
  addr: string;
  conns: number[];
  /** the newest connection of this service crossed the wire inside TLS */
  encrypted: boolean;
  from: Point; // on the client's box border
  to: Point; // on the server's box border
  ctrl: Point; // quadratic control point
  path: string;
  mid: Point;
  /** where the label sits (its centre): beside the edge, clear of nodes and other labels where possible */
  label: Point;
  labelBox?: Rect;
  /** which of the label's shapes (from placeLabels' size) fits there */
  labelShape?: number;
  /** the edges of one service share a label: this one draws it */
  labelOwner?: boolean;
  /** a thin line from the edge to its label, when the label had to move away from it */
  leader?: [Point, Point];
}

/** edgeKey identifies a service a client uses: one edge per client, server, protocol and port. */
export function edgeKey(c: Pick<ConnInfo, 'client' | 'server' | 'proto' | 'port'>): string {
  return `${c.client}|${c.server}|${c.proto}|${c.port}`;
}

const boxRect = (b: NodeBox): Rect => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h });
const round = (n: number): number => Math.round(n * 10) / 10;

/** exitAt is the t at which the curve a→b (control c) leaves r, searching from the a end. */
function exitAt(a: Point, c: Point, b: Point, r: Rect, fromEnd: boolean): number {
  let lo = 0;
  let hi = 0.5;
  const at = (t: number) => bezier(a, c, b, fromEnd ? 1 - t : t);
  const isIn = (p: Point) => p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
  if (isIn(at(hi))) return fromEnd ? 1 - hi : hi;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (isIn(at(mid))) lo = mid;
    else hi = mid;
  }
  return fromEnd ? 1 - hi : hi;
}

/** hits counts the points of the curve a→b (control c) that fall inside other nodes. */
function hits(a: Point, c: Point, b: Point, others: Rect[]): number {
  let n = 0;
  for (const p of sample(a, c, b, 40)) for (const r of others) if (inside(p, r)) n++;
  return n;
}

interface Route {
  from: Point;
  ctrl: Point;
  to: Point;
  bend: number;
}

/** sidePoints are the places on a box's border an edge may leave from: three on each side. */
function sidePoints(b: NodeBox): Point[] {
  const r = boxRect(b);
  const out: Point[] = [];
  for (const f of [0.5, 0.25, 0.75]) {
    out.push({ x: r.x + r.w * f, y: r.y }, { x: r.x + r.w * f, y: r.y + r.h }, { x: r.x, y: r.y + r.h * f }, { x: r.x + r.w, y: r.y + r.h * f });
  }
  return out;
}

/**
 * routeEdge finds the way from box a to box b that passes no other node
 * (others): a straight line or a curve between the centres, else a straight
 * line between two points on the boxes' sides (through a gap between the
 * nodes), else the curve that passes fewest. Edges of one pair (used) keep
 * apart. sign turns the bends of a pair one way for either direction.
 */
function routeEdge(a: NodeBox, b: NodeBox, used: Route[], others: Rect[], sign: number): Route {
  const n = used.length;
  const step = 0.7 * Math.min(a.h, b.h);
  const base = n === 0 ? 0 : (n % 2 ? 1 : -1) * step * Math.ceil(n / 2);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const m = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const ctrlOf = (bend: number) => ({ x: m.x - (dy / len) * bend * 2 * sign, y: m.y + (dx / len) * bend * 2 * sign });
  const clipped = (bend: number): Route => {
    const c0 = ctrlOf(bend);
    const t0 = exitAt(a, c0, b, boxRect(a), false);
    const t1 = exitAt(a, c0, b, boxRect(b), true);
    const [from, ctrl, to] = subCurve(a, c0, b, t0, Math.max(t0, t1));
    return { from, ctrl, to, bend };
  };
  const apart = (r: Route) => used.every((u) => Math.hypot(u.from.x - r.from.x, u.from.y - r.from.y) + Math.hypot(u.to.x - r.to.x, u.to.y - r.to.y) > step * 0.5);

  let best: { r: Route; hits: number; cost: number } | undefined;
  for (const k of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
    const bend = base + k * step * 0.6;
    if (used.some((u) => Math.abs(u.bend - bend) < step * 0.5)) continue;
    const h = hits(a, ctrlOf(bend), b, others);
    const cost = h * 1e4 + Math.abs(bend - base);
    if (!best || cost < best.cost) best = { r: clipped(bend), hits: h, cost };
    if (h === 0 && k === 0) return best.r;
  }
  if (best && best.hits === 0 && Math.abs(best.r.bend - base) <= step * 0.6) return best.r;
  // Straight through a gap, from side to side.
  const inA = inflate(boxRect(a), -1);
  const inB = inflate(boxRect(b), -1);
  let line: { r: Route; cost: number } | undefined;
  for (const p of sidePoints(a))
    for (const q of sidePoints(b)) {
      const r: Route = { from: p, to: q, ctrl: lerp(p, q, 0.5), bend: Number.NaN };
      const pts = [p, lerp(p, q, 0.25), r.ctrl, lerp(p, q, 0.75), q];
      if (pts.slice(1, 4).some((x) => inside(x, inA) || inside(x, inB))) continue;
      if (others.some((o) => polylineHitsRect(pts, o))) continue;
      if (!apart(r)) continue;
      // Short, and near the line between the centres.
      const off = Math.abs((r.ctrl.x - a.x) * dy - (r.ctrl.y - a.y) * dx) / len;
      const cost = Math.hypot(q.x - p.x, q.y - p.y) + off;
      if (!line || cost < line.cost) line = { r, cost };
    }
  if (line) return line.r;
  return best?.r ?? clipped(base);
}

/**
 * edgesOf draws one edge per service used. An edge bends around nodes in
 * its way; parallel edges between one pair bend apart.
 */
export function edgesOf(conns: Iterable<ConnInfo>, boxes: Map<string, NodeBox>): Edge[] {
  const byKey = new Map<string, Edge>();
  const latest = new Map<string, number>();
  const routes = new Map<string, Route[]>();
  const rects = new Map([...boxes.values()].map((b) => [b.id, inflate(boxRect(b), 2)]));
  for (const c of conns) {
    const a = boxes.get(c.client);
    const b = boxes.get(c.server);
    if (!a || !b || a === b) continue;
    const key = edgeKey(c);
    const seen = byKey.get(key);
    if (seen) {
      seen.conns.push(c.conn);
      seen.addr = c.addr || seen.addr;
      if (c.conn >= (latest.get(key) ?? 0)) {
        latest.set(key, c.conn);
        seen.encrypted = c.encrypted;
      }
      continue;
    }
    latest.set(key, c.conn);
    const pair = [c.client, c.server].sort().join('|');
    const used = routes.get(pair) ?? [];
    const route = routeEdge(a, b, used, [...rects].filter(([id]) => id !== a.id && id !== b.id).map(([, r]) => r), c.client < c.server ? 1 : -1);
    used.push(route);
    routes.set(pair, used);
    const { from, ctrl, to } = route;
    const mid = bezier(from, ctrl, to, 0.5);
    const path = `M${round(from.x)},${round(from.y)} Q${round(ctrl.x)},${round(ctrl.y)} ${round(to.x)},${round(to.y)}`;
    byKey.set(key, {
      key,
      client: c.client,
      server: c.server,
      proto: c.proto,
      port: c.port,
      addr: c.addr,
      conns: [c.conn],
      encrypted: c.encrypted,
      from,
      to,
      ctrl,
      path,
      mid,
      label: mid,
    });
  }
  return [...byKey.values()];
}

/** travel is where an envelope is at progress t (0..1): from client to server for "C", back for "S". */
export function travel(e: Edge, dir: 'C' | 'S', t: number): Point {
  const k = Math.max(0, Math.min(1, t));
  return bezier(e.from, e.ctrl, e.to, dir === 'C' ? k : 1 - k);
}

const curveLen = (e: Edge): number => {
  const pts = sample(e.from, e.ctrl, e.to, 16);
  let n = 0;
  for (let i = 1; i < pts.length; i++) n += Math.hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
  return n;
};

interface Spot {
  r: Rect;
  /** how far from the curve's point (0: centred on the edge) */
  off: number;
  t: number;
}

/** spotsAt is the places a w×h box can take at t on an edge: on it, and beside it on every side. */
function spotsAt(e: Edge, t: number, w: number, h: number, gap: number): Spot[] {
  const p = bezier(e.from, e.ctrl, e.to, t);
  const d = tangent(e.from, e.ctrl, e.to, t);
  const l = Math.hypot(d.x, d.y) || 1;
  const n = { x: -d.y / l, y: d.x / l };
  const across = (w / 2) * Math.abs(n.x) + (h / 2) * Math.abs(n.y) + gap;
  const offsets: Point[] = [
    { x: 0, y: 0 },
    { x: n.x * across, y: n.y * across },
    { x: -n.x * across, y: -n.y * across },
    { x: 0, y: -(h / 2 + gap) },
    { x: 0, y: h / 2 + gap },
    { x: -(w / 2 + gap), y: 0 },
    { x: w / 2 + gap, y: 0 },
  ];
  return offsets.map((o) => ({ r: rectAt({ x: p.x + o.x, y: p.y + o.y }, w, h), off: Math.hypot(o.x, o.y), t }));
}

export interface PlaceOptions {
  /** the drawing's area: a label stays inside (default: view) */
  bounds?: Rect;
  /** more places a label must leave free (frame titles) */
  avoid?: Rect[];
  /** the space kept between a label and what it avoids */
  gap?: number;
  /** places a label had better leave free (where an envelope will stop) */
  reserve?: Rect[];
}

/** serviceKey names what a label stands for: a server's port, whoever the client. */
export const serviceKey = (e: Pick<Edge, 'server' | 'proto' | 'port'>): string => `${e.server}|${e.proto}|${e.port}`;

/**
 * placeLabels gives each service (a server's port: "SMTP 587", "DNS 53")
 * one label, beside its edges near the server: clear of every node, every
 * other label and the panel's border, crossing few other edges. When there
 * is no such spot nearby, the label goes to the nearest free place and a
 * leader line joins it to its edge. Labels are placed one by one in a few
 * orders (the services' own first, which keeps old labels where they were);
 * the order whose labels sit best wins.
 * size gives a label's width and height, or the sizes of the shapes it can
 * take (the first preferred). Every edge of a service gets the same
 * labelBox; the first (labelOwner) draws it.
 */
export function placeLabels(
  edges: Edge[],
  boxes: Map<string, NodeBox>,
  size: (e: Edge) => { w: number; h: number } | { w: number; h: number }[],
  opts: PlaceOptions = {},
): Edge[] {
  const bounds = opts.bounds ?? { x: 0, y: 0, w: view.w, h: view.h };
  const gap = opts.gap ?? 3;
  const nodes = [...boxes.values()].map(boxRect);
  const avoid = opts.avoid ?? [];
  const reserve = opts.reserve ?? [];
  const curves = edges.map((e) => sample(e.from, e.ctrl, e.to, 12));
  const spans = curves.map((c) => ({
    x0: Math.min(...c.map((p) => p.x)),
    x1: Math.max(...c.map((p) => p.x)),
    y0: Math.min(...c.map((p) => p.y)),
    y1: Math.max(...c.map((p) => p.y)),
  }));
  const lens = edges.map(curveLen);
  const groupOf = new Map<string, number[]>();
  edges.forEach((e, i) => groupOf.set(serviceKey(e), [...(groupOf.get(serviceKey(e)) ?? []), i]));
  const groups = [...groupOf.values()];
  const shapes = groups.map((g) => [size(edges[g[0]])].flat());
  const hMax = Math.max(1, ...shapes.flat().map((s) => s.h));

  type Placed = { r: Rect; cost: number; shape: number };
  const placeOne = (gi: number, taken: Rect[]): Placed => {
    let best: Placed | undefined;
    shapes[gi].forEach(({ w, h }, k) => {
      const p = placeShape(groups[gi], w, h, taken);
      const cost = p.cost + k * 0.3 * h;
      if (!best || cost < best.cost) best = { ...p, cost, shape: k };
    });
    return best!;
  };

  // Nearer the server: that is where a service's edges meet.
  const ts = [0.6, 0.5, 0.7, 0.4, 0.8, 0.3, 0.88, 0.2, 0.12];
  const placeShape = (members: number[], w: number, h: number, taken: Rect[]): { r: Rect; cost: number } => {
    const kept = (r: Rect) => reserve.reduce((n, o) => n + (intersects(r, o) ? 1 : 0), 0) * 2 * h;
    const blocked = (r: Rect) => {
      if (!contains(bounds, r)) return true;
      const big = inflate(r, gap - 1);
      return nodes.some((o) => intersects(big, o)) || taken.some((o) => intersects(big, o));
    };
    // A curve can only cross a box that its bounding box overlaps.
    const crossings = (r: Rect) => {
      let n = 0;
      curves.forEach((c, j) => {
        const b = spans[j];
        if (b.x1 <= r.x || b.x0 >= r.x + r.w || b.y1 <= r.y || b.y0 >= r.y + r.h) return;
        if (!members.includes(j) && polylineHitsRect(c, r)) n++;
      });
      return n;
    };
    let best: { r: Rect; cost: number } | undefined;
    for (const i of members) {
      for (const t of ts) {
        for (const s of spotsAt(edges[i], t, w, h, gap)) {
          if (blocked(s.r)) continue;
          // The crossings and reserved places only add to this: no need to count them when it is already too much.
          const near = Math.abs(t - 0.6) * lens[i] * 0.6 + s.off * 0.3 + (s.off === 0 ? h * 0.4 : 0);
          if (best && near >= best.cost) continue;
          const cost = near + crossings(s.r) * 4 * h + kept(s.r);
          if (!best || cost < best.cost) best = { r: s.r, cost };
        }
      }
    }
    if (best) return best;
    // Nothing beside the edges: the nearest free place in the panel, with a
    // leader that crosses no node.
    const own = members.flatMap((i) => inner(curves[i]));
    const step = Math.max(4, h / 3);
    const sqs = new Float64Array(own.length);
    // The points' bounding box: no point is nearer a place than it is.
    const ox0 = Math.min(...own.map((p) => p.x));
    const ox1 = Math.max(...own.map((p) => p.x));
    const oy0 = Math.min(...own.map((p) => p.y));
    const oy1 = Math.max(...own.map((p) => p.y));
    for (let y = bounds.y; y + h <= bounds.y + bounds.h; y += step)
      for (let x = bounds.x; x + w <= bounds.x + bounds.w; x += step) {
        // The cost is at least 6h and half again the distance to the edge: places that cannot beat the best are passed over early.
        if (best && 6 * h + Math.max(ox0 - (x + w), 0, x - ox1, oy0 - (y + h), y - oy1) * 1.5 >= best.cost) continue;
        const r = { x, y, w, h };
        // The nearest point, as distToRect measures it (the first of equals);
        // the squares find the few that can be nearest, only those are measured.
        let least = Infinity;
        for (let k = 0; k < own.length; k++) {
          const p = own[k];
          const dx = Math.max(x - p.x, 0, p.x - (x + w));
          const dy = Math.max(y - p.y, 0, p.y - (y + h));
          sqs[k] = dx * dx + dy * dy;
          if (sqs[k] < least) least = sqs[k];
        }
        const within = least * (1 + 1e-9) + 1e-300;
        let near = own[0];
        let d = Infinity;
        for (let k = 0; k < own.length; k++) {
          if (sqs[k] > within) continue;
          const dk = distToRect(own[k], r);
          if (dk < d) [near, d] = [own[k], dk];
        }
        // Too far to beat the best, or taken: both only pass a place over (the cheaper test first).
        if (best && 6 * h + d * 1.5 >= best.cost) continue;
        if (blocked(r)) continue;
        const lead: [Point, Point] = [near, nearestOnRect(near, r)];
        const cut = nodes.filter((o) => polylineHitsRect(lead, inflate(o, 1))).length;
        const cost = 6 * h + distToRect(near, r) * 1.5 + crossings(r) * 2 * h + cut * 20 * h + kept(r);
        if (!best || cost < best.cost) best = { r, cost };
      }
    if (best) return best;
    // A full panel: the spot beside the edge that covers least.
    let least: { r: Rect; cost: number } | undefined;
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
      for (const s of spotsAt(edges[members[0]], t, w, h, gap)) {
        const r = clampInto(s.r, bounds);
        const cost = 1e6 + [...nodes, ...taken].reduce((n, o) => n + overlapArea(r, o), 0);
        if (!least || cost < least.cost) least = { r, cost };
      }
    }
    return least!;
  };

  // Where a label goes depends only on the labels placed before it, in
  // their order: the orders tried share those beginnings, and each
  // placement is searched once.
  const placed = new Map<string, Placed>();
  const run = (order: number[]) => {
    const taken: Rect[] = [...avoid];
    const out: Placed[] = [];
    let total = 0;
    let before = '';
    for (const gi of order) {
      const key = `${before}>${gi}`;
      let p = placed.get(key);
      if (!p) placed.set(key, (p = placeOne(gi, taken)));
      out[gi] = p;
      taken.push(p.r);
      total += p.cost;
      before = key;
    }
    return { out, total };
  };

  const natural = groups.map((_, i) => i);
  let best = run(natural);
  if (best.out.some((p) => p.cost > 5 * hMax)) {
    // Some label is far from its edge: try the hardest services first, and a few shuffles.
    const room = natural.map((i) => run([i]).out[i].cost);
    const orders = [[...natural].sort((x, y) => room[y] - room[x]), [...natural].reverse()];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let k = 0; k < 6; k++) orders.push([...natural].sort(() => rnd() - 0.5));
    for (const o of orders) {
      const r = run(o);
      if (r.total < best.total * 0.9) best = r;
    }
  }

  const placedOf = new Map<number, { p: Placed; owner: boolean }>();
  groups.forEach((g, gi) => g.forEach((i, k) => placedOf.set(i, { p: best.out[gi], owner: k === 0 })));
  return edges.map((e, i) => {
    const { p, owner } = placedOf.get(i)!;
    const r = p.r;
    const leader = leaderTo(curves[i], r, gap);
    return { ...e, label: { x: r.x + r.w / 2, y: r.y + r.h / 2 }, labelBox: r, labelShape: p.shape, labelOwner: owner, leader };
  });
}

/** inner is a sampled curve without its two ends (which lie on the nodes' borders). */
const inner = (curve: Point[]): Point[] => (curve.length > 2 ? curve.slice(1, -1) : curve);

/**
 * leaderTo is the line from a curve to a label away from it (none when the
 * label touches it). It leaves the curve between its ends, off the nodes' borders.
 */
function leaderTo(curve: Point[], r: Rect, gap: number): [Point, Point] | undefined {
  const near = inner(curve).reduce((p, q) => (distToRect(q, r) < distToRect(p, r) ? q : p));
  return distToRect(near, r) > gap + 2 ? [near, nearestOnRect(near, r)] : undefined;
}

/** Growth is how a label grows a line for the current edge: the new box, and where the extra line goes. */
export interface Growth {
  box: Rect;
  /** "below": a second line under the first; "right"/"left": on the same line, after the first */
  way: 'below' | 'right' | 'left';
  /** a line from the edge, when the label had to move away from it */
  leader?: [Point, Point];
}

/**
 * growLabel finds room for the current edge's label (base, with padding
 * pad) to show one more line (w2×h2 of text): under it, or after it on its
 * line (sep: a space's width), shifted as little as possible, clear of
 * nodes, the other labels (avoid) and the panel's border; else where it
 * covers least.
 */
export function growLabel(
  base: Rect,
  w2: number,
  h2: number,
  sep: number,
  pad: number,
  boxes: Map<string, NodeBox>,
  opts: PlaceOptions & { edge?: Edge } = {},
): Growth {
  const bounds = opts.bounds ?? { x: 0, y: 0, w: view.w, h: view.h };
  const gap = opts.gap ?? 3;
  const others = [...[...boxes.values()].map(boxRect), ...(opts.avoid ?? [])];
  const W = Math.max(base.w, w2 + 2 * pad);
  const tall = base.h + h2;
  const wide = base.w + sep + w2;
  const cands: Growth[] = [];
  for (const dy of [0, -h2 / 2, -h2, -tall / 2 - 2, 4, h2 / 2]) {
    for (const x of [base.x + base.w / 2 - W / 2, base.x, base.x + base.w - W]) cands.push({ box: { x, y: base.y + dy, w: W, h: tall }, way: 'below' });
    cands.push({ box: { x: base.x, y: base.y + dy / 2, w: wide, h: base.h }, way: 'right' });
    cands.push({ box: { x: base.x + base.w - wide, y: base.y + dy / 2, w: wide, h: base.h }, way: 'left' });
  }
  const curve = opts.edge && sample(opts.edge.from, opts.edge.ctrl, opts.edge.to, 12);
  let best: { g: Growth; cost: number } | undefined;
  const cover = (r: Rect) => {
    const big = inflate(r, gap - 1);
    let n = 0;
    for (const o of others) n += overlapArea(big, o);
    return n;
  };
  cands.forEach((g, k) => {
    const r = clampInto(g.box, bounds);
    const moved = Math.hypot(r.x - g.box.x, r.y - g.box.y);
    const cost = cover(r) * 100 + k + moved * 2;
    if (!best || cost < best.cost) best = { g: { ...g, box: r }, cost };
  });
  if (best!.cost >= 100) {
    // No room around the label: the nearest free place, either shape.
    const reach = 2 * (wide + tall);
    const step = Math.max(3, base.h / 3);
    // The offsets tried, as the search always stepped through them.
    const offs: number[] = [];
    for (let d = -reach; d <= reach; d += step) offs.push(d);
    const shapes = [cands[0], cands[3]];
    // lower is what the place x, y (w×h) costs at least: no point of the
    // curve is nearer than the larger of its distances across and down.
    const lower = (x: number, y: number, w: number, h: number) => {
      if (!curve) return 20;
      let m = Infinity;
      for (const p of curve) m = Math.min(m, Math.max(x - p.x, 0, p.x - (x + w), y - p.y, p.y - (y + h)));
      return 20 + 2 * m;
    };
    const movedTo = (r: Rect) => {
      if (!curve) return Math.hypot(r.x - base.x, r.y - base.y);
      // The distance to the nearest point, as distToRect measures it; the
      // squares find which points can be nearest (those within a rounding
      // error of the least), and only those are measured.
      let least = Infinity;
      for (let i = 0; i < curve.length; i++) {
        const p = curve[i];
        const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.w));
        const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.h));
        const sq = dx * dx + dy * dy;
        sqs[i] = sq;
        if (sq < least) least = sq;
      }
      let moved = Infinity;
      const near = least * (1 + 1e-9) + 1e-300;
      for (let i = 0; i < curve.length; i++) if (sqs[i] <= near) moved = Math.min(moved, distToRect(curve[i], r));
      return moved;
    };
    const sqs = new Float64Array(curve?.length ?? 0);
    const at = (g: Growth, dx: number, dy: number) => clampInto({ ...g.box, x: g.box.x + dx, y: g.box.y + dy }, bounds);
    // First the places nearest the label, ring by ring, until one covers
    // nothing: what it costs bounds the best, so the full search below can
    // pass over most places without adding up what they cover. The result
    // is the same as without the bound: the first place, in the full
    // search's order, that costs least.
    let bound = best!.cost;
    const mid = offs.reduce((m, d, i) => (Math.abs(d) < Math.abs(offs[m]) ? i : m), 0);
    const ring = (k: number): [number, number][] => {
      if (k === 0) return [[mid, mid]];
      const out: [number, number][] = [];
      for (let j = mid - k; j <= mid + k; j++) out.push([mid - k, j], [mid + k, j]);
      for (let i = mid - k + 1; i < mid + k; i++) out.push([i, mid - k], [i, mid + k]);
      return out.filter(([i, j]) => i >= 0 && j >= 0 && i < offs.length && j < offs.length);
    };
    for (let k = 0, found = false; k <= offs.length / 4 && !found; k++) {
      for (const [i, j] of ring(k))
        for (const g of shapes) {
          const r = at(g, offs[j], offs[i]);
          const c = cover(r);
          bound = Math.min(bound, c * 100 + 20 + movedTo(r) * 2);
          found ||= c === 0;
        }
    }
    // Only places within reach of the curve can cost less than the bound:
    // a place farther than reach from every point of it (across or down)
    // has moved more than that. Each row marks the columns near some point
    // (a little more than needed, never less) and the search looks at those.
    const reach2 = curve && Number.isFinite(bound) ? (bound - 20) / 2 + 1e-6 * (1 + Math.abs(bound)) : Infinity;
    const near = new Uint8Array(offs.length);
    for (const g of shapes) {
      const { w: bw, h: bh } = g.box;
      // as clampInto places them; both grow with the offset
      const xs = offs.map((dx) => Math.max(bounds.x, Math.min(g.box.x + dx, bounds.x + bounds.w - bw)));
      let lastY = Number.NaN;
      for (const dy of offs) {
        const y = Math.max(bounds.y, Math.min(g.box.y + dy, bounds.y + bounds.h - bh));
        // Offsets past the border all land on it: a place already looked at costs the same and cannot beat itself.
        if (y === lastY) continue;
        lastY = y;
        if (reach2 === Infinity) near.fill(1);
        else {
          near.fill(0);
          for (const p of curve!) {
            if (Math.max(y - p.y, 0, p.y - (y + bh)) > reach2) continue;
            let j = firstAtLeast(xs, p.x - bw - reach2);
            for (; j < xs.length && xs[j] <= p.x + reach2; j++) near[j] = 1;
          }
        }
        for (let j = 0; j < offs.length; j++) {
          if (!near[j] || (j > 0 && xs[j] === xs[j - 1])) continue;
          const x = xs[j];
          // A place this far from the curve costs more than the bound, or at least what the best so far does: skip it.
          const lo = lower(x, y, bw, bh);
          if (lo > bound || lo >= best!.cost) continue;
          const r = { ...g.box, x, y };
          const moved = movedTo(r);
          if (20 + moved * 2 > bound || 20 + moved * 2 >= best!.cost) continue;
          const cost = cover(r) * 100 + 20 + moved * 2;
          if (cost < best!.cost) best = { g: { ...g, box: r }, cost };
        }
      }
    }
  }
  const g = best!.g;
  return curve ? { ...g, leader: leaderTo(curve, g.box, gap) } : g;
}

/** firstAtLeast is the index of the first of the ascending xs that is at least v (xs.length if none). */
function firstAtLeast(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clampInto(r: Rect, b: Rect): Rect {
  return {
    ...r,
    x: Math.max(b.x, Math.min(r.x, b.x + b.w - r.w)),
    y: Math.max(b.y, Math.min(r.y, b.y + b.h - r.h)),
  };
}

/**
 * Track is the way an envelope goes along an edge: from a spot beside the
 * sender to a spot beside the receiver, both clear of every node. On the
 * edge itself (onPath) it follows the curve from t0 to t1; else a straight line.
 */
export interface Track {
  start: Point;
  end: Point;
  onPath: boolean;
  t0: number;
  t1: number;
}

/**
 * envelopeTrack finds where a w×h envelope starts and stops on edge e for a
 * line going dir ("C": client to server): as close to each end as it can be
 * without covering a node, preferably on the edge, else beside it, and
 * clear of the labels (avoid) where it can.
 */
export function envelopeTrack(
  e: Edge,
  dir: 'C' | 'S',
  w: number,
  h: number,
  boxes: Map<string, NodeBox>,
  opts: PlaceOptions = {},
): Track {
  const bounds = opts.bounds ?? { x: 0, y: 0, w: view.w, h: view.h };
  const gap = opts.gap ?? 2;
  const nodes = [...boxes.values()].map(boxRect);
  const avoid = opts.avoid ?? [];
  const len = curveLen(e);
  // What a place covers: nodes count ten times what labels do. Only those
  // in (near) count: the search around an end passes over the others, which
  // cover none of its places (adding their nothing changes no sum).
  const coverOf = (near: (o: Rect) => boolean) => {
    const [ns, as] = [nodes.filter(near), avoid.filter(near)];
    return (r: Rect) => {
      const big = inflate(r, gap - 1);
      let onNodes = 0;
      for (const o of ns) onNodes += overlapArea(big, o);
      let onLabels = 0;
      for (const o of as) onLabels += overlapArea(big, o);
      return onNodes * 1e4 + onLabels * 1e3;
    };
  };
  const covers = coverOf(() => true);
  const spot = (near: number): Spot => {
    let best: { s: Spot; cost: number } | undefined;
    for (let k = 0; k <= 10; k++) {
      const t = Math.abs(near - k * 0.05); // from the end inwards, to the middle
      for (const s of spotsAt(e, t, w, h, gap)) {
        const r = clampInto(s.r, bounds);
        const moved = Math.hypot(r.x - s.r.x, r.y - s.r.y);
        const cost = covers(r) + k * 0.05 * len + (s.off + moved) * 0.6;
        if (!best || cost < best.cost) best = { s: { ...s, r, off: s.off + moved }, cost };
      }
    }
    if (best && best.cost >= 1e3) {
      // Nothing free on or beside the edge: the nearest free place around its end.
      const end = bezier(e.from, e.ctrl, e.to, near);
      const reach = w + 3 * h;
      const step = Math.max(3, h / 3);
      // Every place lies in this box (clampInto keeps the order of the places it moves).
      const lo = clampInto(rectAt({ x: end.x - reach, y: end.y - reach }, w, h), bounds);
      const hi = clampInto(rectAt({ x: end.x + reach, y: end.y + reach }, w, h), bounds);
      const around = inflate({ x: lo.x, y: lo.y, w: hi.x + w - lo.x, h: hi.y + h - lo.y }, gap + 1);
      const coversHere = coverOf((o) => intersects(around, o));
      for (let y = end.y - reach; y <= end.y + reach; y += step)
        for (let x = end.x - reach; x <= end.x + reach; x += step) {
          const r = clampInto(rectAt({ x, y }, w, h), bounds);
          const cost = coversHere(r) + distToRect(end, r) * 1.5 + 0.5 * len;
          if (cost < best.cost) best = { s: { r, off: Math.hypot(x - end.x, y - end.y) + 1, t: near }, cost };
        }
    }
    return best!.s;
  };
  const a = spot(dir === 'C' ? 0 : 1);
  const b = spot(dir === 'C' ? 1 : 0);
  const c = (s: Spot) => ({ x: s.r.x + s.r.w / 2, y: s.r.y + s.r.h / 2 });
  return { start: c(a), end: c(b), onPath: a.off === 0 && b.off === 0, t0: a.t, t1: b.t };
}

/** trackAt is where the envelope is at progress k (0: start, 1: end). */
export function trackAt(e: Edge, tr: Track, k: number): Point {
  const q = Math.max(0, Math.min(1, k));
  if (tr.onPath) return bezier(e.from, e.ctrl, e.to, tr.t0 + (tr.t1 - tr.t0) * q);
  return lerp(tr.start, tr.end, q);
}
