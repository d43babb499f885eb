// Topology geometry: two provider columns (example.org left, example.net
// right, DNS in the middle), edges for each service a client used, and the
// point an envelope sits at while it travels.

import type { ConnInfo } from './connections';
import type { NodeInfo } from './types';

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox extends Point {
  id: string;
  w: number;
  h: number;
  node: NodeInfo;
}

export const view = { w: 860, h: 350 };
export const box = { w: 140, h: 46 };

const col = { orgDev: 75, orgSrv: 250, mid: 430, netSrv: 610, netDev: 785 };
const row = [80, 155, 230, 305];

/** Fixed places for the nodes of product.md; others stack in the middle column. */
const places: Record<string, Point> = {
  'alice-laptop': { x: col.orgDev, y: 175 },
  'smtp.example.org': { x: col.orgSrv, y: row[0] },
  'mx.example.org': { x: col.orgSrv, y: row[1] },
  'mda.example.org': { x: col.orgSrv, y: row[2] },
  'mail.example.org': { x: col.orgSrv, y: row[3] },
  dns: { x: col.mid, y: 215 },
  external: { x: col.mid, y: row[3] },
  'smtp.example.net': { x: col.netSrv, y: row[0] },
  'mx.example.net': { x: col.netSrv, y: row[1] },
  'mda.example.net': { x: col.netSrv, y: row[2] },
  'mail.example.net': { x: col.netSrv, y: row[3] },
  'bob-laptop': { x: col.netDev, y: 155 },
  'bob-phone': { x: col.netDev, y: 265 },
  // Shown only in the runs they take part in (the Bcc and security lessons).
  'carol-laptop': { x: col.netDev, y: 60 },
  'dave-laptop': { x: col.netDev, y: 320 },
  impostor: { x: col.mid, y: 110 },
};

/** Free places in the middle column for nodes nobody planned for. */
const spare: Point[] = [40, 160, 260].map((y) => ({ x: col.mid, y }));

/** providerFrames are the shaded areas behind each provider's nodes. */
export const providerFrames = [
  { domain: 'example.org', x: 5, y: 8, w: 320, h: view.h - 13 },
  { domain: 'example.net', x: view.w - 325, y: 8, w: 320, h: view.h - 13 },
];

/** layoutNodes places every node; unknown ids go to free slots in the middle column. */
export function layoutNodes(nodes: readonly NodeInfo[]): Map<string, NodeBox> {
  const out = new Map<string, NodeBox>();
  let extra = 0;
  for (const n of nodes) {
    const p = places[n.id] ?? spare[extra] ?? { x: col.mid, y: 40 + 40 * extra };
    if (!places[n.id]) extra++;
    out.set(n.id, { ...p, id: n.id, w: box.w, h: box.h, node: n });
  }
  return out;
}

/**
 * shownNodes is the nodes the topology draws: the world of product.md
 * always, any other node (Carol, Dave, an impostor) once it takes part.
 */
export function shownNodes(nodes: readonly NodeInfo[], taking: ReadonlySet<string>, always: ReadonlySet<string>): NodeInfo[] {
  return nodes.filter((n) => always.has(n.id) || taking.has(n.id));
}

export interface Edge {
  key: string;
  client: string;
  server: string;
  proto: string;
  port: number;
  addr: string;
  conns: number[];
  from: Point; // on the client's box border
  to: Point; // on the server's box border
  ctrl: Point; // quadratic control point
  path: string;
  mid: Point;
  /** where the label sits: on the edge, clear of nodes and other labels where possible */
  label: Point;
}

/** edgeKey identifies a service a client uses: one edge per client, server, protocol and port. */
export function edgeKey(c: Pick<ConnInfo, 'client' | 'server' | 'proto' | 'port'>): string {
  return `${c.client}|${c.server}|${c.proto}|${c.port}`;
}

/** clip moves p from the centre of a box to its border on the way to q. */
function clip(p: Point, q: Point, b: { w: number; h: number }): Point {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  if (dx === 0 && dy === 0) return p;
  const s = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return { x: p.x + dx * Math.min(1, s), y: p.y + dy * Math.min(1, s) };
}

/** bezier is the point at t on a quadratic curve. */
export function bezier(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** edgesOf draws one edge per service used; parallel edges between one pair bend apart. */
export function edgesOf(conns: Iterable<ConnInfo>, boxes: Map<string, NodeBox>): Edge[] {
  const byKey = new Map<string, Edge>();
  const pairCount = new Map<string, number>();
  for (const c of conns) {
    const a = boxes.get(c.client);
    const b = boxes.get(c.server);
    if (!a || !b || a === b) continue;
    const key = edgeKey(c);
    const seen = byKey.get(key);
    if (seen) {
      seen.conns.push(c.conn);
      seen.addr = c.addr || seen.addr;
      continue;
    }
    const pair = [c.client, c.server].sort().join('|');
    const n = pairCount.get(pair) ?? 0;
    pairCount.set(pair, n + 1);
    const bend = n === 0 ? 0 : (n % 2 ? 1 : -1) * 28 * Math.ceil(n / 2);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const m = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const ctrl = { x: m.x - (dy / len) * bend * 2, y: m.y + (dx / len) * bend * 2 };
    const from = clip(a, ctrl, a);
    const to = clip(b, ctrl, b);
    const mid = bezier(from, ctrl, to, 0.5);
    const path = `M${round(from.x)},${round(from.y)} Q${round(ctrl.x)},${round(ctrl.y)} ${round(to.x)},${round(to.y)}`;
    byKey.set(key, { key, client: c.client, server: c.server, proto: c.proto, port: c.port, addr: c.addr, conns: [c.conn], from, to, ctrl, path, mid, label: mid });
  }
  return [...byKey.values()];
}

/** travel is where an envelope is at progress t (0..1): from client to server for "C", back for "S". */
export function travel(e: Edge, dir: 'C' | 'S', t: number): Point {
  const k = Math.max(0, Math.min(1, t));
  return bezier(e.from, e.ctrl, e.to, dir === 'C' ? k : 1 - k);
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];

/**
 * placeLabels moves each edge label along its edge to the first spot that
 * covers no node and no label placed before it (else the least covered).
 * size gives a label's width and height.
 */
export function placeLabels(edges: Edge[], boxes: Map<string, NodeBox>, size: (e: Edge) => { w: number; h: number }): Edge[] {
  const taken: Rect[] = [...boxes.values()].map((b) => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h }));
  return edges.map((e) => {
    const { w, h } = size(e);
    let best = { p: e.mid, cost: Infinity, r: { x: 0, y: 0, w: 0, h: 0 } };
    for (const t of spots) {
      const p = bezier(e.from, e.ctrl, e.to, t);
      const r = { x: p.x - w / 2, y: p.y - h / 2, w, h };
      const cost = taken.reduce((n, o) => n + overlap(r, o), 0);
      if (cost < best.cost) best = { p, cost, r };
      if (cost === 0) break;
    }
    taken.push(best.r);
    return { ...e, label: best.p };
  });
}
